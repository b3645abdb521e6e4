//! Sets of a phase's points as bit masks, and the run arithmetic the rules are made of.
//!
//! Bit `i` stands for the phase's point `i`. The rules become a handful of word operations per
//! phase instead of a branch per point: on noisy data whether a point is above the centre is
//! unpredictable, and mispredicted branches were most of the engine's time. Phases of up to 128
//! points (ten years of months) fit in one `u128`; longer ones use [`Wide`], with the same
//! operations, so each rule is written once.

use wide::f64x4;

/// A set of point indices below `n`, the phase's length.
pub(crate) trait Bits: Clone {
    /// The empty set for a phase of `n` points.
    fn empty(n: usize) -> Self;
    /// The first `n` points.
    fn all(n: usize) -> Self;
    /// `K` sets at once: point `i` (below `n`) is in set `k` when `f(i)[k]`. One pass over the
    /// points builds every set a rule needs.
    fn from_fns<const K: usize>(n: usize, f: impl FnMut(usize) -> [bool; K]) -> [Self; K];

    /// The points below `n` for which `f` is true.
    fn from_fn(n: usize, mut f: impl FnMut(usize) -> bool) -> Self {
        let [set] = Self::from_fns(n, |i| [f(i)]);
        set
    }
    /// `K` sets at once, from their 64-point words: `words(j)[k]` is word `j` of set `k`, holding
    /// points `64 j` to `64 j + 63` (bit `i - 64 j` for point `i`). Bits at or past `n` are left
    /// out.
    fn from_words<const K: usize>(n: usize, words: impl FnMut(usize) -> [u64; K]) -> [Self; K];
    /// Adds point `i` when `on` (branch-free for the callers' comparisons).
    fn put(&mut self, i: usize, on: bool);
    /// Whether point `i` is in the set.
    fn has(&self, i: usize) -> bool;
    /// Both.
    fn and(&self, other: &Self) -> Self;
    /// Either.
    fn or(&self, other: &Self) -> Self;
    /// In `self` and not in `other`.
    fn and_not(&self, other: &Self) -> Self;
    /// In one and not the other.
    fn xor(&self, other: &Self) -> Self;
    /// Point `i` is in the result when point `i + k` is in `self`.
    fn down(&self, k: usize) -> Self;
    /// Point `i` is in the result when point `i - k` is in `self`; points past the end may be
    /// left in, so callers intersect the result with a set within the phase.
    fn up(&self, k: usize) -> Self;
    /// How many points.
    fn count(&self) -> usize;
    /// The lowest point.
    fn first(&self) -> Option<usize>;
    /// The set without its lowest point.
    fn without_first(&self) -> Self;

    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.first().is_none()
    }
}

/// The set operations of a set held in one integer (`u64` or `u128`): each is an instruction
/// or two on the word, and the same for both widths.
macro_rules! word_operations {
    ($word:ty) => {
        fn empty(_: usize) -> Self {
            0
        }
        fn all(n: usize) -> Self {
            if n >= <$word>::BITS as usize {
                !0
            } else {
                (1 << n) - 1
            }
        }
        #[inline]
        fn put(&mut self, i: usize, on: bool) {
            *self |= <$word>::from(on).checked_shl(i as u32).unwrap_or(0);
        }
        #[inline]
        fn has(&self, i: usize) -> bool {
            self.checked_shr(i as u32).unwrap_or(0) & 1 == 1
        }
        fn and(&self, other: &Self) -> Self {
            self & other
        }
        fn or(&self, other: &Self) -> Self {
            self | other
        }
        fn and_not(&self, other: &Self) -> Self {
            self & !other
        }
        fn xor(&self, other: &Self) -> Self {
            self ^ other
        }
        fn down(&self, k: usize) -> Self {
            u32::try_from(k)
                .ok()
                .and_then(|k| self.checked_shr(k))
                .unwrap_or(0)
        }
        fn up(&self, k: usize) -> Self {
            u32::try_from(k)
                .ok()
                .and_then(|k| self.checked_shl(k))
                .unwrap_or(0)
        }
        fn count(&self) -> usize {
            self.count_ones() as usize
        }
        fn first(&self) -> Option<usize> {
            (*self != 0).then(|| self.trailing_zeros() as usize)
        }
        fn without_first(&self) -> Self {
            self & self.wrapping_sub(1)
        }
    };
}

impl Bits for u128 {
    word_operations!(u128);
    fn from_words<const K: usize>(n: usize, mut words: impl FnMut(usize) -> [u64; K]) -> [Self; K] {
        let low = words(0);
        let high = if n > 64 { words(1) } else { [0; K] };
        std::array::from_fn(|k| (u128::from(low[k]) | (u128::from(high[k]) << 64)) & Self::all(n))
    }
    fn from_fns<const K: usize>(n: usize, mut f: impl FnMut(usize) -> [bool; K]) -> [Self; K] {
        // Built a 64-bit word at a time: shifting a u128 by a variable amount is slow.
        let n = n.min(128);
        let (mut low, mut high) = ([0u64; K], [0u64; K]);
        for i in 0..n.min(64) {
            let bits = f(i);
            for k in 0..K {
                low[k] |= u64::from(bits[k]) << i;
            }
        }
        for i in 64..n {
            let bits = f(i);
            for k in 0..K {
                high[k] |= u64::from(bits[k]) << (i - 64);
            }
        }
        std::array::from_fn(|k| u128::from(low[k]) | (u128::from(high[k]) << 64))
    }
}

/// Runs `$body` with `$B` the narrowest set type that holds `$n` points: one machine word for
/// phases of up to 64 points (five years of months), two words up to 128, and [`Wide`] beyond.
/// Narrower words make every rule's set arithmetic cheaper.
macro_rules! with_width {
    ($n:expr, |$B:ident| $body:expr) => {{
        let n: usize = $n;
        if n <= 64 {
            type $B = u64;
            $body
        } else if n <= 128 {
            type $B = u128;
            $body
        } else {
            type $B = $crate::bits::Wide;
            $body
        }
    }};
}
pub(crate) use with_width;

impl Bits for u64 {
    word_operations!(u64);
    fn from_words<const K: usize>(n: usize, mut words: impl FnMut(usize) -> [u64; K]) -> [Self; K] {
        words(0).map(|word| word & Self::all(n))
    }
    fn from_fns<const K: usize>(n: usize, mut f: impl FnMut(usize) -> [bool; K]) -> [Self; K] {
        let mut sets = [0u64; K];
        for i in 0..n.min(64) {
            let bits = f(i);
            for k in 0..K {
                sets[k] |= u64::from(bits[k]) << i;
            }
        }
        sets
    }
}

/// A set of any size, for phases longer than 128 points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Wide(Vec<u64>);

impl Wide {
    /// Word by word; a shorter set counts as empty beyond its end.
    fn zip(&self, other: &Self, f: impl Fn(u64, u64) -> u64) -> Self {
        let words = self.0.len().max(other.0.len());
        Wide((0..words).map(|j| f(self.word(j), other.word(j))).collect())
    }

    fn word(&self, j: usize) -> u64 {
        self.0.get(j).copied().unwrap_or(0)
    }
}

impl Bits for Wide {
    fn empty(n: usize) -> Self {
        Wide(vec![0; n.div_ceil(64).max(1)])
    }
    fn from_words<const K: usize>(n: usize, mut words: impl FnMut(usize) -> [u64; K]) -> [Self; K] {
        let mut sets: [Wide; K] = std::array::from_fn(|_| Wide::empty(n));
        for j in 0..n.div_ceil(64) {
            for (set, word) in sets.iter_mut().zip(words(j)) {
                set.0[j] = word;
            }
        }
        if !n.is_multiple_of(64) {
            for set in &mut sets {
                if let Some(last) = set.0.last_mut() {
                    *last &= (1u64 << (n % 64)) - 1;
                }
            }
        }
        sets
    }
    fn all(n: usize) -> Self {
        Wide::from_fn(n, |_| true)
    }
    fn from_fns<const K: usize>(n: usize, mut f: impl FnMut(usize) -> [bool; K]) -> [Self; K] {
        let mut sets: [Wide; K] = std::array::from_fn(|_| Wide::empty(n));
        for i in 0..n {
            let bits = f(i);
            for (set, bit) in sets.iter_mut().zip(bits) {
                set.put(i, bit);
            }
        }
        sets
    }
    fn put(&mut self, i: usize, on: bool) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= u64::from(on) << (i % 64);
        }
    }
    fn has(&self, i: usize) -> bool {
        (self.word(i / 64) >> (i % 64)) & 1 == 1
    }
    fn and(&self, other: &Self) -> Self {
        self.zip(other, |a, b| a & b)
    }
    fn or(&self, other: &Self) -> Self {
        self.zip(other, |a, b| a | b)
    }
    fn and_not(&self, other: &Self) -> Self {
        self.zip(other, |a, b| a & !b)
    }
    fn xor(&self, other: &Self) -> Self {
        self.zip(other, |a, b| a ^ b)
    }
    fn down(&self, k: usize) -> Self {
        let (q, r) = (k / 64, k % 64);
        Wide(
            (0..self.0.len())
                .map(|j| {
                    let low = self.word(j + q) >> r;
                    let high = if r == 0 {
                        0
                    } else {
                        self.word(j + q + 1) << (64 - r)
                    };
                    low | high
                })
                .collect(),
        )
    }
    fn up(&self, k: usize) -> Self {
        let (q, r) = (k / 64, k % 64);
        Wide(
            (0..self.0.len())
                .map(|j| {
                    let Some(from) = j.checked_sub(q) else {
                        return 0;
                    };
                    let high = self.word(from) << r;
                    let low = match (r, from.checked_sub(1)) {
                        (0, _) | (_, None) => 0,
                        (_, Some(below)) => self.word(below) >> (64 - r),
                    };
                    high | low
                })
                .collect(),
        )
    }
    fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
    fn first(&self) -> Option<usize> {
        self.0
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(j, w)| j * 64 + w.trailing_zeros() as usize)
    }
    fn without_first(&self) -> Self {
        let mut rest = self.clone();
        if let Some(word) = rest.0.iter_mut().find(|w| **w != 0) {
            *word &= word.wrapping_sub(1);
        }
        rest
    }
}

/// `K` words at once over the first 64 pairs `(a[j], b[j])`: bit `j` of word `k` is
/// `one(a[j], b[j])[k]`, worked out four pairs at a time by `four`. Each set a rule needs is a
/// SIMD compare and a move of the sign bits per four points, and the sets that compare the same
/// values share one pass: building them was most of the rules' time.
fn compare_words<const K: usize>(
    a: &[f64],
    b: &[f64],
    four: impl Fn(f64x4, f64x4) -> [f64x4; K],
    one: impl Fn(f64, f64) -> [bool; K],
) -> [u64; K] {
    let n = a.len().min(b.len()).min(64);
    let (a_quads, a_rest) = a[..n].as_chunks::<4>();
    let (b_quads, b_rest) = b[..n].as_chunks::<4>();
    let mut words = [0u64; K];
    for (q, (x, y)) in a_quads.iter().zip(b_quads).enumerate() {
        let masks = four(f64x4::from(*x), f64x4::from(*y));
        for (word, mask) in words.iter_mut().zip(masks) {
            *word |= u64::from(mask.to_bitmask()) << (4 * q);
        }
    }
    let done = 4 * a_quads.len();
    for (j, (x, y)) in a_rest.iter().zip(b_rest).enumerate() {
        for (word, bit) in words.iter_mut().zip(one(*x, *y)) {
            *word |= u64::from(bit) << (done + j);
        }
    }
    words
}

/// The values in word `j` of a set over `y`.
fn word_of(y: &[f64], j: usize) -> &[f64] {
    let start = (64 * j).min(y.len());
    &y[start..(start + 64).min(y.len())]
}

/// The points above `line` and the points below it.
pub(crate) fn sides<B: Bits>(y: &[f64], line: f64) -> [B; 2] {
    let lines = f64x4::splat(line);
    B::from_words(y.len(), |j| {
        let y = word_of(y, j);
        compare_words(
            y,
            y,
            |v, _| [v.simd_gt(lines), v.simd_lt(lines)],
            |v, _| [v > line, v < line],
        )
    })
}

/// The points above `upper`, below `lower`, above `near_upper` and below `near_lower`.
pub(crate) fn beyond<B: Bits>(
    y: &[f64],
    [upper, lower, near_upper, near_lower]: [f64; 4],
) -> [B; 4] {
    let lines = [upper, lower, near_upper, near_lower].map(f64x4::splat);
    B::from_words(y.len(), |j| {
        let y = word_of(y, j);
        compare_words(
            y,
            y,
            |v, _| {
                [
                    v.simd_gt(lines[0]),
                    v.simd_lt(lines[1]),
                    v.simd_gt(lines[2]),
                    v.simd_lt(lines[3]),
                ]
            },
            |v, _| [v > upper, v < lower, v > near_upper, v < near_lower],
        )
    })
}

/// The points higher than the point before, and the points lower.
pub(crate) fn rising_and_falling<B: Bits>(y: &[f64]) -> [B; 2] {
    let four = |v: f64x4, before: f64x4| [v.simd_gt(before), v.simd_lt(before)];
    let one = |v: f64, before: f64| [v > before, v < before];
    B::from_words(y.len(), |j| {
        let start = (64 * j).min(y.len());
        let end = (start + 64).min(y.len());
        if start == 0 {
            // The first point has none before it: compare points 1.. and move them up one.
            let later = y.get(1..end).unwrap_or(&[]);
            compare_words(later, y, four, one).map(|word| word << 1)
        } else {
            compare_words(&y[start..end], &y[start - 1..end - 1], four, one)
        }
    })
}

/// The points where a run of at least `len` consecutive members of `m` begins, whether or not
/// the run began earlier. The run length covered doubles at each step, so a run of seven takes
/// three steps rather than six.
fn run_heads<B: Bits>(m: &B, len: usize) -> B {
    let mut heads = m.clone();
    // Each point in `heads` begins `covered` consecutive members.
    let mut covered = 1;
    while covered < len && !heads.is_empty() {
        let step = covered.min(len - covered);
        heads = heads.and(&heads.down(step));
        covered += step;
    }
    heads
}

/// The members of `m` that belong to a run of at least `len` consecutive members.
pub(crate) fn in_runs<B: Bits>(m: &B, len: usize) -> B {
    let mut out = run_heads(m, len);
    // Each point in `out` is within `covered` points after a run's head.
    let mut covered = 1;
    while covered < len && !out.is_empty() {
        let step = covered.min(len - covered);
        out = out.or(&out.up(step));
        covered += step;
    }
    out.and(m)
}

/// Where the first run of at least `len` consecutive members of `m` starts, among runs starting
/// in `allowed`, with the run's full length.
pub(crate) fn first_run_start<B: Bits>(m: &B, len: usize, allowed: &B) -> Option<(usize, usize)> {
    let starts = run_heads(m, len).and_not(&m.up(1)).and(allowed);
    let start = starts.first()?;
    Some((start, run_length(m, start)))
}

/// How many consecutive members of `m` there are from `start`.
fn run_length<B: Bits>(m: &B, start: usize) -> usize {
    (start..).take_while(|i| m.has(*i)).count()
}

/// The length of the longest run of consecutive members.
pub(crate) fn longest_run<B: Bits>(m: &B) -> usize {
    let mut rest = m.clone();
    let mut length = 0;
    while !rest.is_empty() {
        rest = rest.and(&rest.down(1));
        length += 1;
    }
    length
}

/// Where at least two of three points in a row are in `m`: bit `w` for the window `w..w + 3`.
pub(crate) fn two_of_three_windows<B: Bits>(m: &B) -> B {
    let (next, after) = (m.down(1), m.down(2));
    m.and(&next).or(&m.and(&after)).or(&next.and(&after))
}

/// `m` with the points not in `keep` taken out and the rest closed up, so that runs and
/// crossings skip the points on the centre line.
pub(crate) fn compact<B: Bits>(m: &B, keep: &B, n: usize) -> B {
    let mut out = B::empty(n);
    let mut j = 0;
    for i in 0..n {
        if keep.has(i) {
            out.put(j, m.has(i));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Checks the comparison sets of type `B` against their definitions, point by point.
    fn check_comparisons<B: Bits>(ys: &[f64], line: f64) -> Result<(), TestCaseError> {
        let [up, down] = sides::<B>(ys, line);
        let [rises, falls] = rising_and_falling::<B>(ys);
        // Each line in turn as the upper, lower and near lines.
        let [high, low, near_high, near_low] = beyond::<B>(ys, [line, line, line, line]);
        for (i, y) in ys.iter().enumerate() {
            prop_assert_eq!(up.has(i), *y > line, "above at {}", i);
            prop_assert_eq!(down.has(i), *y < line, "below at {}", i);
            prop_assert_eq!(rises.has(i), i > 0 && *y > ys[i - 1], "rising at {}", i);
            prop_assert_eq!(falls.has(i), i > 0 && *y < ys[i - 1], "falling at {}", i);
            prop_assert_eq!((high.has(i), near_high.has(i)), (*y > line, *y > line));
            prop_assert_eq!((low.has(i), near_low.has(i)), (*y < line, *y < line));
        }
        // Nothing beyond the phase's end.
        prop_assert_eq!(
            up.count() + down.count(),
            ys.iter().filter(|y| **y != line).count()
        );
        Ok(())
    }

    proptest! {
        // The four-at-a-time comparisons agree with one at a time, at every length (so every
        // remainder after the fours, and every word boundary), with ties on the line and between
        // neighbours.
        #[test]
        fn comparisons_match_their_definitions(
            ys in prop::collection::vec((0u8..5).prop_map(f64::from), 0..200),
            line in (0u8..9).prop_map(|l| f64::from(l) / 2.0),
        ) {
            if ys.len() <= 64 {
                check_comparisons::<u64>(&ys, line)?;
            }
            if ys.len() <= 128 {
                check_comparisons::<u128>(&ys, line)?;
            }
            check_comparisons::<Wide>(&ys, line)?;
        }
    }

    fn from(n: usize, members: &[usize]) -> (u128, Wide) {
        let (mut small, mut wide) = (u128::empty(n), Wide::empty(n));
        for i in members {
            if *i < 128 {
                small.put(*i, true);
            }
            wide.put(*i, true);
        }
        (small, wide)
    }

    fn members<B: Bits>(b: &B, n: usize) -> Vec<usize> {
        (0..n).filter(|i| b.has(*i)).collect()
    }

    #[test]
    fn runs_are_found_the_same_in_both_widths() {
        let n = 100;
        let set = [
            1, 2, 3, 10, 11, 12, 13, 14, 15, 16, 17, 63, 64, 65, 66, 90, 91, 92, 93,
        ];
        let (small, wide) = from(n, &set);
        assert_eq!(
            members(&in_runs(&small, 4), n),
            members(&in_runs(&wide, 4), n)
        );
        assert_eq!(
            members(&in_runs(&small, 4), n),
            vec![
                10, 11, 12, 13, 14, 15, 16, 17, 63, 64, 65, 66, 90, 91, 92, 93
            ]
        );
        assert_eq!(longest_run(&small), 8);
        assert_eq!(longest_run(&wide), 8);
        let (allowed_small, allowed_wide) = from(n, &(20..80).collect::<Vec<_>>());
        assert_eq!(first_run_start(&small, 4, &allowed_small), Some((63, 4)));
        assert_eq!(first_run_start(&wide, 4, &allowed_wide), Some((63, 4)));
    }

    #[test]
    fn wide_shifts_cross_words() {
        let n = 200;
        let (_, wide) = from(n, &[0, 63, 64, 130]);
        assert_eq!(members(&wide.up(1), n), vec![1, 64, 65, 131]);
        assert_eq!(members(&wide.down(1), n), vec![62, 63, 129]);
        assert_eq!(members(&wide.up(64), n), vec![64, 127, 128, 194]);
        assert_eq!(members(&wide.down(130), n), vec![0]);
        assert_eq!(wide.count(), 4);
        assert_eq!(wide.first(), Some(0));
        let rest = wide.without_first().without_first();
        assert_eq!(members(&rest, n), vec![64, 130]);
        assert_eq!(members(&rest.without_first().without_first(), n), vec![]);
        let (small, _) = from(n, &[5, 70, 127]);
        assert_eq!(members(&small.without_first(), 128), vec![70, 127]);
        assert_eq!((0b1011_0000u64).without_first(), 0b1010_0000);
    }

    #[test]
    fn compacting_closes_up_the_gaps() {
        let n = 6;
        let (m, _) = from(n, &[0, 2, 5]);
        let (keep, _) = from(n, &[0, 2, 3, 5]);
        assert_eq!(members(&compact(&m, &keep, n), n), vec![0, 1, 3]);
    }
}
