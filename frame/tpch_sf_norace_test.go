//go:build !race

package frame_test

// tpchSFRace limits TestTPCHSF01 to the queries SF 0.01 cannot check when the
// race detector slows everything down.
const tpchSFRace = false
