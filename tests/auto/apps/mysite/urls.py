from django.http import HttpResponse


def index(request):
    return HttpResponse("django ok")


try:
    from django.urls import path
    urlpatterns = [path("", index)]
except ImportError:  # Django 1.11
    from django.conf.urls import url
    urlpatterns = [url(r"^$", index)]
