from django import template

from privacy.detectors import mask_name

register = template.Library()

# 이○종 for names in 공시송달 and similar notices.
register.filter("mask_name", mask_name)
