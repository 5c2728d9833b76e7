from django.urls import path

from . import views

app_name = "fellows"

urlpatterns = [
    path("", views.index, name="index"),
]
