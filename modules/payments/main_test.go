package payments_test

import (
	"os"
	"testing"

	"zhifa/app/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
