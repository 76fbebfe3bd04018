from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from accounts.forms import ProfileForm
from accounts.services import user_update_profile


class ProfileEditView(LoginRequiredMixin, View):
    template_name = "accounts/profile.html"

    def get(self, request):
        return self.render(request, ProfileForm(instance=request.user))

    def post(self, request):
        form = ProfileForm(request.POST, instance=request.user)
        if not form.is_valid():
            return self.render(request, form, status=400)
        request.user.refresh_from_db()
        user = user_update_profile(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
            digests_enabled=form.cleaned_data["digests_enabled"],
        )
        translation.activate(user.preferred_language)
        messages.success(request, _("Your profile has been saved."))
        url = translate_url(reverse("accounts:profile"), user.preferred_language)
        return redirect(url)

    def render(self, request, form, status=200):
        memberships = request.user.memberships.select_related("organisation")
        context = {"form": form, "memberships": memberships}
        return render(request, self.template_name, context, status=status)
