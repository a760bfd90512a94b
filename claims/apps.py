from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # claims builds on sources: it keeps citations anchored to source texts, so it
        # listens for corrected texts rather than sources calling into claims.
        from django.db.models.signals import post_delete, post_save, pre_save

        from claims import receivers
        from claims.models import Claim, Metric, Statistic
        from sources.signals import body_changed

        body_changed.connect(receivers.reanchor_after_body_change, dispatch_uid="claims.reanchor")
        # Keeps the stored verdicts (MetricSummary) current on every write; bulk loaders
        # call claims.comparisons.refresh_all_verdicts() instead.
        pre_save.connect(receivers.remember_statistic_metric, sender=Statistic)
        post_save.connect(receivers.refresh_after_statistic_change, sender=Statistic)
        post_delete.connect(receivers.refresh_after_statistic_change, sender=Statistic)
        post_save.connect(receivers.refresh_after_claim_save, sender=Claim)
        post_save.connect(receivers.refresh_after_metric_save, sender=Metric)
