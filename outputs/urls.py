from django.urls import path

from . import views

app_name = "outputs"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.bib", views.export_bibtex, name="export_bibtex"),
    path("curate/", views.curation, name="curation"),
    path("new/", views.create, name="create"),
    path("import/", views.import_bibtex, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/cite.bib", views.detail_bibtex, name="detail_bibtex"),
    path("<int:pk>/CITATION.cff", views.detail_cff, name="detail_cff"),
    path("<int:pk>/codemeta.json", views.detail_codemeta, name="detail_codemeta"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
