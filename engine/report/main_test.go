package report

import (
	"testing"

	"github.com/lockcheck/lockcheck/engine/internal/testenv"
)

// TestMain: the tests evaluate policies; see testenv.Main.
func TestMain(m *testing.M) { testenv.Main(m) }
