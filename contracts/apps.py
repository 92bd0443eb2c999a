# Imported as a module: a second AppConfig class in this namespace would hide ours from Django.
from boards import apps as boards_apps


class ContractsConfig(boards_apps.BoardAppConfig):
    name = "contracts"
    verbose_name = "소액수의 계약"
    boards = [{"model": "ContractNotice", "slug": "contracts", "name": "소액수의 계약", "description":
               "「지방자치단체를 당사자로 하는 계약에 관한 법률」에 따라 소액수의 계약 내역을 공개합니다."}]
