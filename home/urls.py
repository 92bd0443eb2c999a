from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="index"),
    path("banners/", views.banner_list, name="banners"),
    path("banners/<int:pk>/image/", views.banner_image, name="banner-image"),
    path("quick-links/<int:pk>/icon/", views.quick_link_icon, name="quick-link-icon"),
]
