from django.urls import path

from . import calendar

app_name = "notices"

urlpatterns = [path("notices/calendar.ics", calendar.feed, name="calendar")]
