"""Conway's Game of Life on a finite grid of 0/1 cells."""


def count_neighbors(grid: list[list[int]], row: int, col: int) -> int:
    """Live cells among the (up to) eight neighbours of (row, col)."""
    count = 0
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr == 0 and dc == 0:
                continue
            row, col = row + dr, col + dc
            if 0 <= row < len(grid) and 0 <= col < len(grid[0]) and grid[row][col]:
                count += 1
    return count


def step(grid: list[list[int]]) -> list[list[int]]:
    """The next generation; cells outside the grid are dead."""
    new = []
    for row in range(len(grid)):
        new_row = []
        for col in range(len(grid[0])):
            n = count_neighbors(grid, row, col)
            alive = n == 3 or (grid[row][col] and n == 2)
            new_row.append(1 if alive else 0)
        new.append(new_row)
    return new
