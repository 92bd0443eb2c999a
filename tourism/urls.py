from django.urls import path

from . import views

app_name = "tourism"

urlpatterns = [
    path("", views.trail_list, name="list"),
    path("<slug:slug>/", views.trail_detail, name="detail"),
    path("<slug:slug>/image/", views.trail_image, name="image"),
]
