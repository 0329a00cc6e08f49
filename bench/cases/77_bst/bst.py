"""An unbalanced binary search tree, written as functions over ``tree.Node``.

Every key in a node's left subtree is smaller than the node's key and every
key in its right subtree is larger; duplicates are ignored. Functions that
change the tree return its (possibly new) root, so they also work on an empty
tree (``None``):

    root = None
    for key in (5, 3, 8):
        root = insert(root, key)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tree import Node


def insert(node: Node | None, key: int) -> Node:
    """Insert ``key`` below ``node``; returns the root of the subtree."""
    if node is None:
        return Node(key)
    if key < node.key:
        node.left = insert(node.left, key)
    elif key > node.key:
        node.right = insert(node.right, key)


def build(keys: Iterable[int]) -> Node | None:
    root = None
    for key in keys:
        root = insert(root, key)
    return root


def contains(node: Node | None, key: int) -> bool:
    while node is not None:
        if key == node.key:
            return True
        node = node.left if key < node.key else node.right
    return False


def in_order(node: Node | None) -> Iterator[int]:
    """Keys in ascending order."""
    if node is not None:
        yield from in_order(node.left)
        yield node.key
        yield from in_order(node.right)


def height(node: Node | None) -> int:
    """Edges on the longest root-to-leaf path; -1 for an empty tree."""
    if node is None:
        return -1
    return 1 + max(height(node.left), height(node.right))


# Inserting keys in sorted order makes the tree a linked list (height n - 1);
# shuffle first, or use a balanced tree (AVL, red-black) for untrusted input.
