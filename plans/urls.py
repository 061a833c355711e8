from django.urls import path

from plans import area_views, excel_views, list_views, target_views, task_views, views

app_name = "plans"

urlpatterns = [
    # Plans (plans/views.py)
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
    path("<int:pk>/step/<slug:step>/", views.plan_transition, name="transition"),
    path("<int:pk>/versions/", views.version_list, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/copy/", views.plan_copy, name="copy"),
    path("<int:pk>/bases/new/", views.basis_create, name="basis_create"),
    path("bases/<int:pk>/edit/", views.basis_edit, name="basis_edit"),
    path("bases/<int:pk>/delete/", views.basis_delete, name="basis_delete"),
    path("<int:pk>/sections/new/", views.section_create, name="section_create"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    # Tasks of a plan and their execution (plans/task_views.py)
    path("<int:plan_pk>/tasks/new/", task_views.task_create, name="task_create"),
    path("tasks/<int:pk>/", task_views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", task_views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", task_views.task_delete, name="task_delete"),
    path("tasks/<int:pk>/progress/", task_views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/contribute/", task_views.task_contribute, name="task_contribute"),
    path("tasks/<int:pk>/comment/", task_views.task_comment, name="task_comment"),
    path("tasks/<int:pk>/reassign/", task_views.task_reassign, name="task_reassign"),
    path("tasks/<int:pk>/extend/", task_views.task_extend, name="task_extend"),
    path("tasks/<int:pk>/cancel/", task_views.task_cancel, name="task_cancel"),
    # Task lists across plans (plans/list_views.py)
    path("tasks/", list_views.task_list, name="task_list"),
    path("tasks/mine/", list_views.my_tasks, name="my_tasks"),
    path("tasks/unit/", list_views.unit_tasks, name="unit_tasks"),
    path("tasks/overdue/", list_views.overdue_tasks, name="overdue_tasks"),
    path("tasks/timeline/", list_views.timeline, name="timeline"),
    path("tasks/export.xlsx", list_views.task_export, name="task_export"),
    path("tasks/bulk/", list_views.bulk_assign, name="bulk_assign"),
    # The appendix as Excel, both ways (plans/excel_views.py)
    path("<int:pk>/appendix.xlsx", excel_views.appendix_export, name="appendix_export"),
    path("<int:pk>/appendix-template.xlsx", excel_views.appendix_template, name="appendix_template"),
    path("<int:pk>/appendix/import/", excel_views.appendix_import, name="appendix_import"),
    # Targets (plans/target_views.py)
    path("targets/", target_views.target_list, name="target_list"),
    path("<int:plan_pk>/targets/new/", target_views.target_create, name="target_create"),
    path("targets/<int:pk>/", target_views.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", target_views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", target_views.target_delete, name="target_delete"),
    path("targets/<int:pk>/values/new/", target_views.target_value, name="target_value"),
    # Reform areas, shared data (plans/area_views.py)
    path("areas/", area_views.area_list, name="area_list"),
    path("areas/new/", area_views.area_create, name="area_create"),
    path("areas/<int:pk>/edit/", area_views.area_edit, name="area_edit"),
]
