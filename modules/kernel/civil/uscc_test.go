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
		{"91350000158142711F", true},
		{"91440400MA4UABCDEY", true},
		{"12350000MB0000000N", true},
		{"91350102MA31XY00B2", true},
		{"91350403MA0000001J", true},
		{"91350000158142711G", false},  // wrong check character
		{"91350100M000100Y433", false}, // 19 characters
		{"91350100I000100Y43", false},  // I is not in the character set
		{"91350100O000100Y43", false},  // O
		{"91350100Z000100Y43", false},  // Z
		{"91350100S000100Y43", false},  // S
		{"91350100V000100Y43", false},  // V
		{"91A50100M000100Y4X", false},  // letter in the division code
		{"9135010０M000100Y43", false},  // full-width digit
	} {
		if got := civil.ValidUSCC(tc.code); got != tc.want {
			t.Errorf("ValidUSCC(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}
