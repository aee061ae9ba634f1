package fmtfn

import (
	"math/rand"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestURLCodecAgainstNetURL compares url_encode and url_decode with Go's
// net/url query escaping on random text; Java's URLEncoder differs from it
// only in keeping '*' and escaping '~'.
func TestURLCodecAgainstNetURL(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	alphabet := []rune("aZ09 .-*_~+%&=/?#éü€😀\x00\n")
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for j := r.Intn(12); j > 0; j-- {
			b.WriteRune(alphabet[r.Intn(len(alphabet))])
		}
		s := b.String()
		want := strings.NewReplacer("%2A", "*", "~", "%7E").Replace(url.QueryEscape(s))
		got := string(appendURLEncoded(nil, s))
		if got != want {
			t.Fatalf("url_encode(%q) = %q, want %q", s, got, want)
		}
		back, err := urlDecode(got)
		if err != nil || back != s {
			t.Fatalf("url_decode(%q) = %q, %v; want %q", got, back, err, s)
		}
		// Decoding arbitrary text: errors where net/url fails, equal text
		// where the bytes are UTF-8.
		ref, refErr := url.QueryUnescape(s)
		dec, err := urlDecode(s)
		if (err != nil) != (refErr != nil) {
			t.Fatalf("url_decode(%q): error %v, net/url error %v", s, err, refErr)
		}
		if err == nil && utf8.ValidString(ref) && dec != ref {
			t.Fatalf("url_decode(%q) = %q, want %q", s, dec, ref)
		}
	}
}

func TestParseURIJavaCases(t *testing.T) {
	str := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return *p
	}
	for _, c := range []struct {
		in                                      string
		ok                                      bool
		scheme, auth, user, host, path, q, frag string
	}{
		{"http://spark.apache.org/path?query=1", true, "http", "spark.apache.org", "<nil>", "spark.apache.org", "/path", "query=1", "<nil>"},
		{"http://[::1]:80/x#", true, "http", "[::1]:80", "<nil>", "[::1]", "/x", "<nil>", ""},
		{"file:///tmp/a", true, "file", "<nil>", "<nil>", "<nil>", "/tmp/a", "<nil>", "<nil>"},
		{"rel/path?q", true, "<nil>", "<nil>", "<nil>", "<nil>", "rel/path", "q", "<nil>"},
		{"http://1.2.3.4", true, "http", "1.2.3.4", "<nil>", "1.2.3.4", "", "<nil>", "<nil>"},
		{"http://a-.com/", true, "http", "a-.com", "<nil>", "<nil>", "/", "<nil>", "<nil>"},
		{"http://h/p?a[]=1", true, "http", "h", "<nil>", "h", "/p", "a[]=1", "<nil>"},
		{"http://h/é", true, "http", "h", "<nil>", "h", "/é", "<nil>", "<nil>"},
		{"", true, "<nil>", "<nil>", "<nil>", "<nil>", "", "<nil>", "<nil>"},
		{":x", false, "", "", "", "", "", "", ""},
		{"1http://h", false, "", "", "", "", "", "", ""},
		{"http:", false, "", "", "", "", "", "", ""},
		{"http://h/a b", false, "", "", "", "", "", "", ""},
		{"http://h/%2", false, "", "", "", "", "", "", ""},
		{"http://h/a|b", false, "", "", "", "", "", "", ""},
		{"http://h/[x]", false, "", "", "", "", "", "", ""},
		{"http://[zz]/", false, "", "", "", "", "", "", ""},
	} {
		u, err := parseURI(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%q: error %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if err != nil {
			continue
		}
		got := []string{str(u.scheme), str(u.authority), str(u.userInfo), str(u.host), str(u.path), str(u.query), str(u.fragment)}
		want := []string{c.scheme, c.auth, c.user, c.host, c.path, c.q, c.frag}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%q: got %v, want %v", c.in, got, want)
		}
	}
}

func FuzzParseURI(f *testing.F) {
	for _, s := range []string{"http://u@h:1/p?q#f", "mailto:x", "//[::1]/", "a%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := parseURI(s)
		if err != nil {
			return
		}
		for _, p := range []string{"HOST", "PATH", "QUERY", "REF", "PROTOCOL", "FILE", "AUTHORITY", "USERINFO"} {
			urlPart(u, p)
		}
	})
}
