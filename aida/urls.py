from django.urls import path

from . import views

app_name = "aida"

urlpatterns = [
    path("", views.index, name="index"),
]
