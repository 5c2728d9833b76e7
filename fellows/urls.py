from django.urls import path

from . import views

app_name = "fellows"

urlpatterns = [
    path("", views.index, name="index"),
    path("numbers/", views.numbers, name="numbers"),
    path("testimonials/", views.testimonials, name="testimonials"),
    path("testimonials/<int:pk>/photo/", views.testimonial_photo, name="testimonial_photo"),
    path("completed/", views.completed, name="completed"),
    path("completed/<int:pk>/", views.completed_exchange, name="completed_exchange"),
    path("offers/", views.offers, name="offers"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/interest/", views.offer_interest, name="offer_interest"),
    path("fellows/", views.profiles, name="profiles"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("conversations/", views.conversations, name="conversations"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
    path("exchanges/", views.my_exchanges, name="my_exchanges"),
    path("exchanges/new/", views.exchange_create, name="exchange_create"),
    path("exchanges/<int:pk>/", views.exchange_detail, name="exchange"),
    path("exchanges/<int:pk>/edit/", views.exchange_edit, name="exchange_edit"),
    path("exchanges/<int:pk>/<slug:action>/", views.exchange_action, name="exchange_action"),
    path("manage/exchanges/", views.queue, name="queue"),
    path("manage/exchanges/export/", views.queue_export, name="queue_export"),
    path("manage/budget/", views.budget, name="budget"),
    path("manage/budget/<int:pk>/", views.budget_period, name="budget_period"),
    path("manage/testimonials/", views.testimonial_queue, name="testimonial_queue"),
]
