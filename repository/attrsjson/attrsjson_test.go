package attrsjson

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestDecodeSameAsUnmarshal checks that remembered and fresh decodings are
// what json.Unmarshal gives, and that each call's map is its own.
func TestDecodeSameAsUnmarshal(t *testing.T) {
	var d Decoder
	for _, s := range []string{`{"series":0}`, `{"series":0}`, `null`, `null`, `{}`, `{"a":"x","b":true,"c":null,"d":1.5}`,
		`{"a":"x","b":true,"c":null,"d":1.5}`, `{"mapValue":[{"k":"v"}]}`, `{"mapValue":[{"k":"v"}]}`, `{"n":{"x":1}}`} {
		var want map[string]any
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		got, err := d.Decode(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %#v, want %#v", s, got, want)
		}
		if got != nil {
			got["changed"] = true
		}
	}
	again, _ := d.Decode(`{"series":0}`)
	if len(again) != 1 {
		t.Fatalf("a caller's change leaked into the remembered map: %v", again)
	}
}

func TestDecodeError(t *testing.T) {
	var d Decoder
	if _, err := d.Decode(`{"series":`); err == nil {
		t.Fatal("no error for broken JSON")
	}
	if _, err := d.Decode(`[1]`); err == nil {
		t.Fatal("no error for a list")
	}
}

func TestDecodeRemembersBoundedly(t *testing.T) {
	var d Decoder
	for i := range memoLimit * 2 {
		b, _ := json.Marshal(map[string]int{"series": i})
		if _, err := d.Decode(string(b)); err != nil {
			t.Fatal(err)
		}
	}
	if len(d.memo) != memoLimit {
		t.Fatalf("remembers %d values, want %d", len(d.memo), memoLimit)
	}
}
