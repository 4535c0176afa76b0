package cfset_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"zhifa/modules/disclosure/cfset"
	"zhifa/modules/kernel/csvx"
	"zhifa/modules/kernel/errs"
)

// roundTrip holds a decoder's promises on any input: an error is Invalid, never anything else;
// a decoded file of the current set re-encodes (both codecs, restricted: every field) and
// re-decodes to the same records.
func roundTrip(t *testing.T, f *cfset.File, err error) {
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			t.Fatalf("error %v is %s, want invalid", err, errs.CodeOf(err))
		}
		return
	}
	if f.Set != cfset.Current {
		return // the 2016 set's records may lack what the current set requires (see doc.go)
	}
	recs := f.Records()
	opt := cfset.EncodeOptions{Variant: cfset.Restricted}
	for name, codec := range map[string]struct {
		enc func(*bytes.Buffer) error
		dec func([]byte, cfset.DecodeOptions) (*cfset.File, []csvx.RowError, error)
	}{
		"csv": {func(b *bytes.Buffer) error { return cfset.EncodeCSV(b, recs, opt) }, cfset.DecodeCSV},
		"gbk": {func(b *bytes.Buffer) error {
			return cfset.EncodeCSV(b, recs, cfset.EncodeOptions{Variant: cfset.Restricted, Encoding: csvx.GBK})
		}, cfset.DecodeCSV},
		"json": {func(b *bytes.Buffer) error { return cfset.EncodeJSON(b, recs, opt) }, cfset.DecodeJSON},
	} {
		var b bytes.Buffer
		if err := codec.enc(&b); err != nil {
			t.Fatalf("%s: a decoded file does not encode: %v %v", name, err, errs.As(err).Fields)
		}
		again, report, err := codec.dec(b.Bytes(), cfset.DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: the encoded file does not decode: %v %+v\n%s", name, err, report, b.Bytes())
		}
		if got := again.Records(); !reflect.DeepEqual(got, recs) {
			t.Fatalf("%s: round trip changed the records\n got %+v\nwant %+v", name, got, recs)
		}
	}
}

func seeds(f *testing.F) {
	for _, r := range [][]cfset.Record{{org()}, {org(), person()}} {
		var b bytes.Buffer
		_ = cfset.EncodeCSV(&b, r, cfset.EncodeOptions{Variant: cfset.Restricted})
		f.Add(b.Bytes())
		b.Reset()
		_ = cfset.EncodeJSON(&b, r, cfset.EncodeOptions{Variant: cfset.Restricted})
		f.Add(b.Bytes())
	}
}

func FuzzDecodeCSV(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, _, err := cfset.DecodeCSV(data, cfset.DecodeOptions{})
		roundTrip(t, file, err)
	})
}

func FuzzDecodeJSON(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, _, err := cfset.DecodeJSON(data, cfset.DecodeOptions{})
		roundTrip(t, file, err)
	})
}

// The committed seeds are what their names say: those named bad-, mixed- or not- are refused,
// every other decodes, so that the fuzzers start from files that reach the round trip.
func TestFuzzSeedsDecode(t *testing.T) {
	t.Parallel()
	for fuzzer, decode := range map[string]func([]byte, cfset.DecodeOptions) (*cfset.File, []csvx.RowError, error){
		"FuzzDecodeCSV": cfset.DecodeCSV, "FuzzDecodeJSON": cfset.DecodeJSON} {
		paths, _ := filepath.Glob(filepath.Join("testdata", "fuzz", fuzzer, "*"))
		if len(paths) < 3 {
			t.Fatalf("%s: %d seeds", fuzzer, len(paths))
		}
		for _, p := range paths {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			quoted := strings.TrimSuffix(strings.TrimPrefix(string(raw), "go test fuzz v1\n[]byte("), ")\n")
			data, err := strconv.Unquote(quoted)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			name := filepath.Base(p)
			f, report, err := decode([]byte(data), cfset.DecodeOptions{})
			refused := strings.HasPrefix(name, "bad-") || strings.HasPrefix(name, "mixed-") || strings.HasPrefix(name, "not-")
			if (err != nil) != refused || (err == nil && len(f.Rows) == 0) {
				t.Errorf("%s/%s: error %v %+v", fuzzer, name, err, report)
			}
		}
	}
}
