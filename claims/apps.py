from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # claims builds on sources: it keeps citations anchored to source texts, so it
        # listens for corrected texts rather than sources calling into claims.
        from claims.receivers import reanchor_after_body_change
        from sources.signals import body_changed

        body_changed.connect(reanchor_after_body_change, dispatch_uid="claims.reanchor")
