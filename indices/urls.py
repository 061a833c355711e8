from django.urls import path

from indices import appraisal_views, assessment_views, criteria_views, governance_views

app_name = "par"

urlpatterns = [
    # The PAR Index's home: the year's assessments the person can see (assessment_views.py)
    path("", assessment_views.index, name="index"),
    # Criteria sets (criteria_views.py)
    path("sets/", criteria_views.set_list, name="set_list"),
    path("sets/new/", criteria_views.set_create, name="set_create"),
    path("sets/import/", criteria_views.set_import, name="set_import"),
    path("sets/template.xlsx", criteria_views.set_template, name="set_template"),
    path("sets/<int:pk>/", criteria_views.set_detail, name="set_detail"),
    path("sets/<int:pk>/edit/", criteria_views.set_edit, name="set_edit"),
    path("sets/<int:pk>/copy/", criteria_views.set_copy, name="set_copy"),
    path("sets/<int:pk>/publish/", criteria_views.set_publish, name="set_publish"),
    path("sets/<int:pk>/export.xlsx", criteria_views.set_export, name="set_export"),
    path("sets/<int:pk>/criteria/new/", criteria_views.criterion_create, name="criterion_create"),
    path("criteria/<int:pk>/edit/", criteria_views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", criteria_views.criterion_delete, name="criterion_delete"),
    # Self-assessment (assessment_views.py)
    path("assessments/open/", assessment_views.assessment_open, name="assessment_open"),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", assessment_views.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/submit/", assessment_views.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/report.<str:fmt>", assessment_views.assessment_report, name="assessment_report"),
    path("scores/<int:pk>/", assessment_views.score_edit, name="score_edit"),
    path("scores/<int:pk>/evidence/", assessment_views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/delete/", assessment_views.evidence_delete, name="evidence_delete"),
    # Appraisal, survey points, the index and ranking (appraisal_views.py)
    path("appraisals/", appraisal_views.appraisal_list, name="appraisal_list"),
    path("assessments/<int:pk>/appraise/", appraisal_views.appraise, name="appraise"),
    path("assessments/<int:pk>/advance/", appraisal_views.advance, name="advance"),
    path("assessments/<int:pk>/answers/", appraisal_views.answers, name="answers"),
    path("assessments/<int:pk>/survey/", appraisal_views.survey_entry, name="survey_entry"),
    path("survey/import/", appraisal_views.survey_import, name="survey_import"),
    path("survey/template.xlsx", appraisal_views.survey_template, name="survey_template"),
    path("assessments/<int:pk>/results/", appraisal_views.results, name="results"),
    path("ranking/", appraisal_views.ranking, name="ranking"),
    path("ranking/export.xlsx", appraisal_views.ranking_export, name="ranking_export"),
    # The improvement plan from the gaps, PAPI and PCI (governance_views.py)
    path("assessments/<int:pk>/improvement/", governance_views.improvement_plan, name="improvement_plan"),
    path("governance/", governance_views.governance, name="governance"),
    path("governance/<slug:code>/record/", governance_views.governance_record, name="governance_record"),
    path("governance/dimensions/<int:pk>/", governance_views.dimension_detail, name="dimension_detail"),
]
