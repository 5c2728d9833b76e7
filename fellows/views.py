from django.shortcuts import render


def index(request, **kw):
    return render(request, "fellows/index.html")


def numbers(request, **kw):
    return render(request, "fellows/index.html")


def testimonials(request, **kw):
    return render(request, "fellows/index.html")


def testimonial_photo(request, **kw):
    return render(request, "fellows/index.html")


def completed(request, **kw):
    return render(request, "fellows/index.html")


def completed_exchange(request, **kw):
    return render(request, "fellows/index.html")


def offers(request, **kw):
    return render(request, "fellows/index.html")


def offer_create(request, **kw):
    return render(request, "fellows/index.html")


def offer_detail(request, **kw):
    return render(request, "fellows/index.html")


def offer_edit(request, **kw):
    return render(request, "fellows/index.html")


def offer_interest(request, **kw):
    return render(request, "fellows/index.html")


def profiles(request, **kw):
    return render(request, "fellows/index.html")


def profile_edit(request, **kw):
    return render(request, "fellows/index.html")


def conversations(request, **kw):
    return render(request, "fellows/index.html")


def conversation_detail(request, **kw):
    return render(request, "fellows/index.html")


def my_exchanges(request, **kw):
    return render(request, "fellows/index.html")


def exchange_create(request, **kw):
    return render(request, "fellows/index.html")


def exchange_detail(request, **kw):
    return render(request, "fellows/index.html")


def exchange_edit(request, **kw):
    return render(request, "fellows/index.html")


def exchange_action(request, **kw):
    return render(request, "fellows/index.html")


def queue(request, **kw):
    return render(request, "fellows/index.html")


def queue_export(request, **kw):
    return render(request, "fellows/index.html")


def budget(request, **kw):
    return render(request, "fellows/index.html")


def budget_period(request, **kw):
    return render(request, "fellows/index.html")


def testimonial_queue(request, **kw):
    return render(request, "fellows/index.html")
