// Package monitor watches a deployed model's data for drift from its
// training data.
//
// BuildProfile summarizes the training data once, when the model is fitted,
// into a Profile saved next to the model as profile.json (SaveModel,
// ReadProfile): for each input column of the model's signature, each
// numeric or categorical column the model adds (its prediction) and the
// label column, the row and null counts, and
//
//   - numeric columns (integers, floating point, decimals; NaN and ±Inf
//     count as nulls): min, max, mean, sample standard deviation, the
//     distinct deciles as the edges of the PSI bins with the training share
//     of each bin, and a sample of at most SampleSize (default 250) values
//     for the Kolmogorov–Smirnov test: the values themselves, or their
//     quantiles at (i+0.5)/SampleSize when there are more, which represent
//     the distribution better than a random draw and do not depend on a
//     seed or the partitioning;
//   - categorical columns (strings, booleans as "true"/"false"): the TopK
//     (default 50) most frequent values with their shares, the share of
//     all other values and the distinct count;
//   - other columns (vectors, arrays, dates, …): counts and nulls only.
//
// Everything is computed by the engine's aggregations (percentile_approx,
// which is exact up to 80,000 values per column and within 1/10,000 of
// the rank beyond, count_if, a grouped count), so memory stays bounded and
// the profile is a few kilobytes per column.
//
// Compare scores new data against the profile and returns a Report: per
// column the population stability index (PSI, over the profile's bins, or
// over its top categories and "other"; shares below PSIEpsilon = 1e-4
// count as 1e-4), the two-sample KS statistic D between the profile's
// sample and a sample of the new values taken the same way with its
// asymptotic p-value (KSTest; each side counts at its sample's size, at
// most SampleSize, so on large data the p-value is conservative and D,
// which the sample estimates well, carries the weight), the share of new categories (values outside
// the training categories, beyond the training share of "other" when
// training had more than TopK categories), and the change of the null
// rate. A column drifted when any of them passes its Thresholds (default
// PSI > 0.2; KS p < 0.01 and D > 0.1; null rate change > 0.1; new
// categories > 0.05). The prediction column's row is the prediction
// distribution's shift.
//
// Window keeps the bins of the last values a server scored, for a running
// PSI per column.
package monitor
