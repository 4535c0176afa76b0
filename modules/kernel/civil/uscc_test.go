package civil_test

import (
	"testing"

	"zhifa/modules/kernel/civil"
)

func TestValidUSCC(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code string
		want bool
	}{
		{"91350100M000100Y43", true},  // GB 32100's example
		{"11350102003000001C", true},  // an organ of state (category 11)
		{"92230500MA1B2C3D4T", true},  // an individual business (92)
		{"91350100M000100Y44", false}, // wrong check character
		{"91350100M000100Y4", false},  // 17 characters
		{"91350100m000100Y43", false}, // lower case
		{"9135A100M000100Y43", false}, // a letter in the division code
		{"", false},
	} {
		if got := civil.ValidUSCC(tc.code); got != tc.want {
			t.Errorf("ValidUSCC(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}
