from django.urls import path

from . import views

app_name = "outputs"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.bib", views.export, {"fmt": "bib"}, name="export_bibtex"),
    path("export.ris", views.export, {"fmt": "ris"}, name="export_ris"),
    path("export.json", views.export, {"fmt": "json"}, name="export_csl"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("curate/", views.curation, name="curation"),
    path("new/", views.create, name="create"),
    path("import/", views.import_bibtex, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/cite.bib", views.detail_citation, {"fmt": "bib"}, name="detail_bibtex"),
    path("<int:pk>/cite.ris", views.detail_citation, {"fmt": "ris"}, name="detail_ris"),
    path("<int:pk>/cite.json", views.detail_citation, {"fmt": "json"}, name="detail_csl"),
    path("<int:pk>/CITATION.cff", views.detail_cff, name="detail_cff"),
    path("<int:pk>/codemeta.json", views.detail_codemeta, name="detail_codemeta"),
    path("<int:pk>/file", views.file, name="file"),
    path("<int:pk>/cover", views.cover, name="cover"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("export.datacite.xml", views.export_datacite, name="export_datacite"),
    path("export.aiod.json", views.export_aiod, name="export_aiod"),
    path("<int:pk>/datacite.xml", views.detail_datacite, name="detail_datacite"),
    path("<int:pk>/cite.txt", views.detail_formatted_citation, name="detail_citation_text"),
]
