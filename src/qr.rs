//! A time card's QR code, drawn with text: half blocks on screen (two
//! modules per cell, so it is square and fits 80×24), full blocks for print.

use qrcode::{Color, EcLevel, QrCode};

/// The modules of the code with a 2-module quiet zone; `true` is dark.
pub fn modules(payload: &str) -> Option<Vec<Vec<bool>>> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()?;
    let w = code.width();
    let colors = code.to_colors();
    let quiet = 2;
    let size = w + 2 * quiet;
    let mut grid = vec![vec![false; size]; size];
    for y in 0..w {
        for x in 0..w {
            grid[y + quiet][x + quiet] = colors[y * w + x] == Color::Dark;
        }
    }
    Some(grid)
}

/// Screen lines: each cell holds two rows of modules as `▀`, `▄`, `█` or a
/// space, to be drawn dark-on-light.
pub fn half_block_lines(grid: &[Vec<bool>]) -> Vec<String> {
    grid.chunks(2)
        .map(|pair| {
            let top = &pair[0];
            let bottom = pair.get(1);
            (0..top.len())
                .map(|x| match (top[x], bottom.is_some_and(|b| b[x])) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                })
                .collect()
        })
        .collect()
}

/// Lines for a printed card: two characters per module, `██` dark.
pub fn print_lines(grid: &[Vec<bool>]) -> Vec<String> {
    grid.iter()
        .map(|row| row.iter().map(|d| if *d { "██" } else { "  " }).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_payload_fits_a_small_code() {
        let g = modules("JS01-0001/SG00012345").unwrap();
        // version 1 or 2: at most 25 modules + quiet zone
        assert!(g.len() <= 29, "{}", g.len());
        let lines = half_block_lines(&g);
        assert_eq!(lines.len(), g.len().div_ceil(2));
        assert!(
            lines.len() <= 15,
            "fits a 24-line screen with room to spare"
        );
        // the finder pattern's corner is dark
        assert!(g[2][2]);
    }
}
