"""Bank accounts with an audit log."""


class InsufficientFunds(Exception):
    """Raised when a withdrawal exceeds the balance."""


class Account:
    """A named account holding a balance in cents."""

    def __init__(self, owner: str, balance: int = 0) -> None:
        self.owner = owner
        self.balance = balance
        self.log: list[str] = []

    def deposit(self, cents: int) -> None:
        """Add ``cents`` (positive) to the balance."""
        if cents <= 0:
            raise ValueError("deposit must be positive")
        self.balance += cents
        self.log.append(f"+{cents}")

    def withdraw(self, cents: int) -> None:
        """Take ``cents`` out; InsufficientFunds if the balance is too low."""
        if cents > self.balance:
            raise InsufficientFunds(f"{self.owner} has only {self.balance}")
        self.balance -= cents
        self.log.append(f"-{cents}")

    def transfer(self, target: "Account", cents: int) -> None:
        """Move ``cents`` from this account to ``target``."""
        target.withdraw(cents)
        self.deposit(cents)

    def statement(self) -> str:
        """Owner, balance and the log, on one line."""
        return f"{self.owner}: {self.balance} [{', '.join(self.log)}]"
