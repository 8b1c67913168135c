//! The assignment problem: pairing the rows of a cost matrix with its
//! columns at the least total cost (the Hungarian method, in Jonker and
//! Volgenant's potentials form). The comparison uses it to pair a
//! trainee's defects with the reference's.

/// Solves the assignment problem on a rectangular cost matrix (rows ≤
/// columns), returning for each row the column assigned. O(n²m).
pub fn hungarian(costs: &[Vec<f64>]) -> Vec<usize> {
    let rows = costs.len();
    if rows == 0 {
        return Vec::new();
    }
    let columns = costs[0].len();
    debug_assert!(rows <= columns);
    let infinity = f64::INFINITY;
    // Potentials and the column matching, 1-based with 0 as a sentinel.
    let mut u = vec![0.0; rows + 1];
    let mut v = vec![0.0; columns + 1];
    let mut column_row = vec![0usize; columns + 1];
    let mut way = vec![0usize; columns + 1];
    for row in 1..=rows {
        column_row[0] = row;
        let mut column0 = 0;
        let mut min_value = vec![infinity; columns + 1];
        let mut used = vec![false; columns + 1];
        loop {
            used[column0] = true;
            let row0 = column_row[column0];
            let mut delta = infinity;
            let mut column1 = 0;
            for column in 1..=columns {
                if !used[column] {
                    let current = costs[row0 - 1][column - 1] - u[row0] - v[column];
                    if current < min_value[column] {
                        min_value[column] = current;
                        way[column] = column0;
                    }
                    if min_value[column] < delta {
                        delta = min_value[column];
                        column1 = column;
                    }
                }
            }
            for column in 0..=columns {
                if used[column] {
                    u[column_row[column]] += delta;
                    v[column] -= delta;
                } else {
                    min_value[column] -= delta;
                }
            }
            column0 = column1;
            if column_row[column0] == 0 {
                break;
            }
        }
        loop {
            let column1 = way[column0];
            column_row[column0] = column_row[column1];
            column0 = column1;
            if column0 == 0 {
                break;
            }
        }
    }
    let mut assignment = vec![usize::MAX; rows];
    for column in 1..=columns {
        if column_row[column] != 0 {
            assignment[column_row[column] - 1] = column - 1;
        }
    }
    assignment
}

#[cfg(test)]
mod tests {
    use super::hungarian;

    fn total(costs: &[Vec<f64>], assignment: &[usize]) -> f64 {
        assignment
            .iter()
            .enumerate()
            .map(|(row, column)| costs[row][*column])
            .sum()
    }

    #[test]
    fn the_cheapest_pairing_wins_over_the_greedy_one() {
        // Greedy takes (0,0)=1 then (1,1)=10: 11; the best is 2 + 3 = 5.
        let costs = vec![vec![1.0, 2.0], vec![3.0, 10.0]];
        let assignment = hungarian(&costs);
        assert_eq!(assignment, vec![1, 0]);
        assert_eq!(total(&costs, &assignment), 5.0);
    }

    #[test]
    fn fewer_rows_than_columns_leave_columns_over() {
        let costs = vec![vec![5.0, 1.0, 9.0]];
        assert_eq!(hungarian(&costs), vec![1]);
        assert!(hungarian(&[]).is_empty());
    }
}
