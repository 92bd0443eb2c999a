from django.contrib import admin

from editorial.admin import PostAdmin

from .models import Minutes

admin.site.register(Minutes, PostAdmin)
