from django.shortcuts import render

from ai4media_portal.core.public_cache import public_page


@public_page("fellows")
def index(request):
    return render(request, "fellows/index.html")
