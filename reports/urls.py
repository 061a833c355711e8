from django.urls import path

from reports import agency_views, urging_views, views

app_name = "reports"

urlpatterns = [
    # The calendar, the periods and the units' reports (views.py)
    path("", views.index, name="index"),
    path("agency/<int:agency_pk>/calendar/", views.calendar, name="calendar"),
    path("agency/<int:agency_pk>/ad-hoc/", views.adhoc_create, name="adhoc_create"),
    path("agency/<int:agency_pk>/rates/", views.rates, name="rates"),
    path("periods/<int:pk>/", views.period, name="period"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period_edit"),
    path("unit-reports/<int:pk>/", views.unit_report, name="unit_report"),
    path("unit-reports/<int:pk>/submit/", views.unit_report_submit, name="unit_report_submit"),
    path("unit-reports/<int:pk>/return/", views.unit_report_return, name="unit_report_return"),
    path("unit-reports/<int:pk>/accept/", views.unit_report_accept, name="unit_report_accept"),
    # The consolidated agency report and the province's side (agency_views.py)
    path("periods/<int:pk>/consolidate/", agency_views.agency_report_create, name="agency_report_create"),
    path("agency-reports/<int:pk>/", agency_views.agency_report, name="agency_report"),
    path("agency-reports/<int:pk>/refresh/", agency_views.agency_report_refresh, name="agency_report_refresh"),
    path("agency-reports/<int:pk>/submit/", agency_views.agency_report_submit, name="agency_report_submit"),
    path("agency-reports/<int:pk>/approve/", agency_views.agency_report_approve, name="agency_report_approve"),
    path("agency-reports/<int:pk>/send-back/", agency_views.agency_report_send_back, name="agency_report_send_back"),
    path("agency-reports/<int:pk>/send/", agency_views.agency_report_send, name="agency_report_send"),
    path("agency-reports/<int:pk>/return/", agency_views.agency_report_return, name="agency_report_return"),
    path("agency-reports/<int:pk>/receive/", agency_views.agency_report_receive, name="agency_report_receive"),
    path("agency-reports/<int:pk>/docx/", agency_views.agency_report_docx, name="agency_report_docx"),
    path("agency-reports/<int:pk>/pdf/", agency_views.agency_report_pdf, name="agency_report_pdf"),
    path("inbox/", agency_views.inbox, name="inbox"),
    path("status/", agency_views.province_status, name="province_status"),
    # Urging by hand (urging_views.py); reminders are sent by `manage.py run_scheduler`
    path("units/<int:unit_pk>/urge/", urging_views.urge, name="urge"),
    path("agency/<int:agency_pk>/urging/", urging_views.urging_history, name="urging_history"),
]
