from django.apps import AppConfig


class ContractsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contracts"
    verbose_name = "소액수의 계약"

    def ready(self):
        from boards.registry import Board, register

        from .models import ContractNotice

        register(Board(
            slug="contracts", name="소액수의 계약", model=ContractNotice,
            description="「지방자치단체를 당사자로 하는 계약에 관한 법률」에 따라 소액수의 계약 내역을 공개합니다.",
            detail_fields_template="contracts/_detail_fields.html",
        ))
