"""이메일 알림 pages: the form, the confirmation link, preferences and unsubscribing (no JavaScript needed).

Token pages are never cached and never indexed. The unsubscribe URL takes a POST without a CSRF
token (RFC 8058 one-click, sent by mail programs); the signed token in the URL is the authority.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from privacy.detectors import mask_email

from . import ratelimit, subscribing, tokens
from .forms import PreferencesForm, SubscribeForm
from .mail import described
from .matching import KEYWORDS_MAX

FORM = "subscriptions/subscribe.html"
LIMITED = "subscriptions/limited.html"
INVALID = "subscriptions/invalid.html"


def render(request, template, context=None, status=200):
    """Every page of this app knows the numbers its texts quote."""
    return django_render(request, template, {
        "confirm_days": settings.SUBSCRIPTION_CONFIRM_DAYS,
        "sent_keep_days": settings.SUBSCRIPTION_SENT_KEEP_DAYS,
        "digest_hour": settings.SUBSCRIPTION_DIGEST_HOUR, "keywords_max": KEYWORDS_MAX, **(context or {}),
    }, status=status)


def invalid_link(request, reason="invalid"):
    return render(request, INVALID, {"reason": reason}, status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method != "POST":
        return render(request, FORM, {"form": SubscribeForm()})
    if not ratelimit.address_allowed(request):
        return render(request, LIMITED, status=429)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, FORM, {"form": form}, status=400)
    email = form.cleaned_data["email"]
    if not ratelimit.email_allowed(email):
        return render(request, LIMITED, {"per_email": True}, status=429)
    # The same answer whether or not the address is subscribed already.
    subscribing.request_subscription(email=email, **form.preferences())
    return redirect("subscriptions:requested")


@require_safe
def requested(request):
    return render(request, "subscriptions/requested.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    if request.method != "POST":
        state = subscribing.pending_state(token)
        if state != "open":
            return invalid_link(request, state)
        # A button, not the link itself: mail scanners that open links must not confirm for anyone.
        return render(request, "subscriptions/confirm.html", {"token": token})
    result = subscribing.confirm(token)
    if result.outcome != "confirmed":
        return invalid_link(request, result.outcome)
    return render(request, "subscriptions/confirmed.html", {
        "subscription": result.subscription, "manage_token": tokens.manage_token(result.subscription),
        **described(result.subscription),
    })


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    subscription = subscribing.subscription_for(token)
    if subscription is None:
        return invalid_link(request, "gone")
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscribing.change_preferences(subscription, **form.preferences())
            saved = True
    else:
        form = PreferencesForm(initial={
            "boards": subscription.boards, "keywords": ", ".join(subscription.keywords),
            "frequency": subscription.frequency,
        })
    return render(request, "subscriptions/manage.html", {
        "form": form, "token": token, "saved": saved, "email": mask_email(subscription.email),
        **described(subscription),
    }, status=400 if form.errors else 200)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    if tokens.read_manage_token(token) is None:
        return invalid_link(request)
    if request.method == "POST":
        subscribing.unsubscribe(token)  # the same page if it was gone already: a mail program may POST twice
        return render(request, "subscriptions/unsubscribed.html")
    subscription = subscribing.subscription_for(token)
    if subscription is None:
        return render(request, "subscriptions/unsubscribed.html")
    context = {"token": token, "email": mask_email(subscription.email)}
    return render(request, "subscriptions/unsubscribe.html", context)
