from django.urls import path

from . import views

app_name = "outputs"

urlpatterns = [
    path("", views.index, name="index"),
]
