from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # claims builds on sources: it keeps citations anchored to source texts, so it
        # listens for corrected texts rather than sources calling into claims.
        from claims import receivers
        from claims.models import Citation, Claim, Metric, Party, Statistic
        from sources.signals import body_changed

        body_changed.connect(receivers.reanchor_after_body_change, dispatch_uid="claims.reanchor")
        # Keeps the stored verdicts (MetricSummary) current on every write; bulk loaders
        # call claims.comparisons.refresh_all_verdicts() instead.
        pre_save.connect(receivers.remember_statistic_metric, sender=Statistic)
        post_save.connect(receivers.refresh_after_statistic_change, sender=Statistic)
        post_delete.connect(receivers.refresh_after_statistic_change, sender=Statistic)
        post_save.connect(receivers.refresh_after_claim_save, sender=Claim)
        post_save.connect(receivers.refresh_after_metric_save, sender=Metric)
        # The search index follows every write of what it holds, whichever path wrote it.
        post_save.connect(receivers.reindex_saved_claim, Claim, dispatch_uid="search.claim")
        post_delete.connect(receivers.forget_deleted_claim, Claim, dispatch_uid="search.gone")
        for signal in (post_save, post_delete):
            signal.connect(receivers.reindex_cited_claim, Citation, dispatch_uid="search.cited")
        post_save.connect(receivers.reindex_renamed_party, Party, dispatch_uid="search.party")
        # The stored counts of a party's claims by year (PartySummary); bulk loaders call
        # PartySummary.refresh_all() instead.
        pre_save.connect(receivers.remember_claim_placing, Claim, dispatch_uid="years.claim")
        post_save.connect(receivers.refresh_party_years_after_claim_save, Claim)
        post_delete.connect(receivers.refresh_party_years_after_claim_delete, Claim)
        pre_save.connect(receivers.remember_party_affiliation, Party, dispatch_uid="years.p")
        post_save.connect(receivers.refresh_party_years_after_party_save, Party)
