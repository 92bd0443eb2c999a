from django.urls import path

from . import calendar

app_name = "recruitment"

urlpatterns = [path("recruitment/calendar.ics", calendar.feed, name="calendar")]
