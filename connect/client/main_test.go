package client_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a goroutine is still running once
// they have finished: a connection, a stream or the test server's.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
