package physical

import "testing"

// Above the broadcast threshold, a build side no larger than the probe side
// and under SharedBuildFactor thresholds is shared; a threshold of 0 (never
// broadcast) or below keeps the threshold's own decision.
func TestSharedBuild(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		build, probe float64
		threshold    int64
		want         bool
	}{
		{57 * mib, 96 * mib, 10 * mib, true},  // orders under lineitem
		{96 * mib, 57 * mib, 10 * mib, false}, // a build larger than the probe
		{640 * mib, 1e12, 10 * mib, true},     // at the bound
		{641 * mib, 1e12, 10 * mib, false},    // above it
		{57 * mib, 96 * mib, 0, false},        // broadcasting switched off
		{57 * mib, 96 * mib, -1, false},       // the threshold alone decides
		{5 * mib, 5 * mib, 10 * mib, true},    // equal sizes
	} {
		if got := sharedBuild(tc.build, tc.probe, tc.threshold); got != tc.want {
			t.Errorf("sharedBuild(%g, %g, %d) = %v, want %v", tc.build, tc.probe, tc.threshold, got, tc.want)
		}
	}
}
