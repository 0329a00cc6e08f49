import pytest

from bank import Account, InsufficientFunds


def test_transfer() -> None:
    alice, bob = Account("alice", 500), Account("bob", 100)
    alice.transfer(bob, 200)
    assert (alice.balance, bob.balance) == (300, 300)


def test_transfer_needs_funds() -> None:
    alice, bob = Account("alice", 50), Account("bob", 1000)
    with pytest.raises(InsufficientFunds):
        alice.transfer(bob, 100)


def test_statement() -> None:
    acc = Account("eve")
    acc.deposit(30)
    acc.withdraw(10)
    assert acc.statement() == "eve: 20 [+30, -10]"
