package server

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFastRequest: what fastRequest decodes, decodeRequest (the cities or
// the cost matrix token by token) decodes the same; fastRequest declines the rest, which
// is then decoded the slow way for its answer.
func FuzzFastRequest(f *testing.F) {
	for _, s := range []string{
		`{"cities":[{"name":"a","lat":1,"lon":2},{"name":"b","lat":3,"lon":4}],"backend":"go","algorithm":"2opt","start":1,"end":"start"}`,
		`{"backend":"go","cities":[{"lat":1,"lon":2}],"deadline_ms":5}`,
		`{"cities":[{"lat":1,"lon":2}],"cities":[{"lat":1,"lon":2}]}`,
		`{"cities":[{"lat":1,"lon":2}],"costs":{"matrix":[[0]]}}`,
		`{"costs":{"matrix":[[0]]},"cities":[{"lat":1,"lon":2}]}`,
		`{"cities":[{"lat":1,"lon":2}]} x`,
		`{"cities" : [{"lat":1,"lon":2}] , "end" : 0}`,
		`{"cities":[{"name":"]","lat":1,"lon":2}],"start":0}`,
		`{"cities":[]}`,
		`{"cities":null}`,
		`{"Cities":[{"lat":1,"lon":2}]}`,
		`{"costs":{"names":["a","b"],"matrix":[[0,1.5],[2,0]]},"backend":"go","end":1}`,
		`{"backend":"go","costs":{"matrix":[[0,1],[1,0]]} ,"algorithm":"exact"}`,
		`{"costs":{"matrix":[[0,1],[1,0]]},"costs":{"matrix":[[0]]}}`,
		`{"costs":{"matrix":[[0,1],[1,0]]}} x`,
		`{"costs":null}`,
		"{\"costs\":{\"names\":[\"\xff\"],\"matrix\":[[0]]}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, ok, err := fastRequest(body, 250)
		if err != nil {
			if ok || utf8.Valid(body) || !strings.Contains(err.Error(), "not valid UTF-8") {
				t.Fatalf("%.200q: fastRequest refused it: %v", body, err)
			}
			return
		}
		if !ok {
			return
		}
		slow, err := decodeRequest(json.NewDecoder(bytes.NewReader(body)), 250, nil, nil)
		if err != nil {
			t.Fatalf("%.200q: fastRequest took it, decodeRequest refuses it: %v", body, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%.200q:\nfast %+v\nslow %+v", body, fast, slow)
		}
	})
}
