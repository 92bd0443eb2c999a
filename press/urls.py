from django.urls import path

from . import views

app_name = "press"

urlpatterns = [path("press/photos/<int:pk>/", views.photo, name="photo")]
