from django.contrib import admin

from boards.admin import PostAdmin

from .models import Minutes

admin.site.register(Minutes, PostAdmin)
