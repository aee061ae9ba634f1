package fmtfn

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// uri is a URI split into its raw components the way java.net.URI splits
// one (RFC 2396 with RFC 2732's IPv6 literals), which Spark's parse_url
// uses. A component that is absent is nil.
type uri struct {
	scheme, authority, userInfo, host, path, query, fragment *string
}

var errBadURI = errors.New("invalid URI")

// character classes of RFC 2396 as java.net.URI uses them
const (
	markChars     = "-_.!~*'()"
	reservedChars = ";/?:@&=+$,[]"
	pcharExtra    = ":@&=+$,"
	regNameExtra  = "$,;:@&=+"
	userInfoExtra = ";:&=+$,"
)

func isAlpha(c byte) bool    { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isAlphanum(c byte) bool { return isAlpha(c) || isDigit(c) }
func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
func isUnreserved(c byte) bool { return isAlphanum(c) || strings.IndexByte(markChars, c) >= 0 }

// checkChars checks that s holds only the ASCII characters allowed reports,
// escapes %XX and (when other is true) non-ASCII characters that are
// neither controls nor spaces.
func checkChars(s, what string, allowed func(c byte) bool, other bool) error {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return fmt.Errorf("%w: malformed escape pair in %s at index %d", errBadURI, what, i)
			}
			i += 3
			continue
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !other || r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) {
				return fmt.Errorf("%w: illegal character in %s at index %d", errBadURI, what, i)
			}
			i += size
			continue
		case !allowed(c):
			return fmt.Errorf("%w: illegal character in %s at index %d", errBadURI, what, i)
		}
		i++
	}
	return nil
}

func uricChar(c byte) bool { return isUnreserved(c) || strings.IndexByte(reservedChars, c) >= 0 }
func pathChar(c byte) bool {
	return isUnreserved(c) || strings.IndexByte(pcharExtra, c) >= 0 || c == ';' || c == '/'
}

// parseURI parses s as java.net.URI's constructor does; the error reports
// text that is not a URI.
func parseURI(s string) (*uri, error) {
	u := &uri{}
	rest := s
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		frag := rest[i+1:]
		if err := checkChars(frag, "fragment", uricChar, true); err != nil {
			return nil, err
		}
		u.fragment = &frag
		rest = rest[:i]
	}
	// A scheme is text before a ':' that comes before any '/', '?' or '#'.
	if c := strings.IndexAny(rest, ":/?"); c >= 0 && rest[c] == ':' {
		if c == 0 {
			return nil, fmt.Errorf("%w: expected scheme name at index 0", errBadURI)
		}
		scheme := rest[:c]
		if !isAlpha(scheme[0]) {
			return nil, fmt.Errorf("%w: illegal character in scheme name at index 0", errBadURI)
		}
		for i := 1; i < len(scheme); i++ {
			if c := scheme[i]; !(isAlphanum(c) || c == '+' || c == '-' || c == '.') {
				return nil, fmt.Errorf("%w: illegal character in scheme name at index %d", errBadURI, i)
			}
		}
		u.scheme = &scheme
		rest = rest[c+1:]
		if rest == "" {
			return nil, fmt.Errorf("%w: expected scheme-specific part at index %d", errBadURI, c+1)
		}
		if rest[0] != '/' {
			// An opaque URI (mailto:a@b): no authority, path or query.
			if err := checkChars(rest, "opaque part", uricChar, true); err != nil {
				return nil, err
			}
			return u, nil
		}
	}
	if strings.HasPrefix(rest, "//") {
		end := strings.IndexAny(rest[2:], "/?")
		auth := rest[2:]
		if end >= 0 {
			auth = rest[2 : 2+end]
		}
		rest = rest[2+len(auth):]
		if auth == "" {
			if rest == "" {
				return nil, fmt.Errorf("%w: expected authority", errBadURI)
			}
		} else if err := u.parseAuthority(auth); err != nil {
			return nil, err
		}
	}
	path := rest
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		path = rest[:q]
		query := rest[q+1:]
		if err := checkChars(query, "query", uricChar, true); err != nil {
			return nil, err
		}
		u.query = &query
	}
	if err := checkChars(path, "path", pathChar, true); err != nil {
		return nil, err
	}
	u.path = &path
	return u, nil
}

// parseAuthority reads [userinfo@]host[:port] (a server-based authority);
// when that fails the authority is registry-based, as in java.net.URI: it
// stays whole and host and user info are absent.
func (u *uri) parseAuthority(auth string) error {
	u.authority = &auth
	if u.parseServer(auth) {
		return nil
	}
	u.userInfo, u.host = nil, nil
	if strings.ContainsAny(auth, "[]") {
		return fmt.Errorf("%w: malformed IPv6 address or illegal character in authority", errBadURI)
	}
	return checkChars(auth, "authority", func(c byte) bool {
		return isUnreserved(c) || strings.IndexByte(regNameExtra, c) >= 0
	}, true)
}

func (u *uri) parseServer(auth string) bool {
	hostPort := auth
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		ui := auth[:at]
		if checkChars(ui, "user info", func(c byte) bool {
			return isUnreserved(c) || strings.IndexByte(userInfoExtra, c) >= 0
		}, true) != nil {
			return false
		}
		u.userInfo = &ui
		hostPort = auth[at+1:]
	}
	host, port := hostPort, ""
	if strings.HasPrefix(hostPort, "[") {
		end := strings.IndexByte(hostPort, ']')
		if end < 0 || !validIPv6(hostPort[1:end]) {
			return false
		}
		host, port = hostPort[:end+1], hostPort[end+1:]
		if port != "" && port[0] != ':' {
			return false
		}
	} else if c := strings.LastIndexByte(hostPort, ':'); c >= 0 {
		host, port = hostPort[:c], hostPort[c:]
	}
	for i := 1; i < len(port); i++ {
		if !isDigit(port[i]) {
			return false
		}
	}
	if host == "" || !strings.HasPrefix(host, "[") && !validHostname(host) {
		return false
	}
	u.host = &host
	return true
}

// validHostname reports whether h is an IPv4 address or a host name:
// labels of letters, digits and inner hyphens, the last starting with a
// letter when there are several.
func validHostname(h string) bool {
	labels := strings.Split(strings.TrimSuffix(h, "."), ".")
	if isIPv4(labels) {
		return true
	}
	for _, l := range labels {
		if l == "" || !isAlphanum(l[0]) || !isAlphanum(l[len(l)-1]) {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlphanum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	return len(labels) == 1 || isAlpha(labels[len(labels)-1][0])
}

func isIPv4(parts []string) bool {
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 {
			return false
		}
		n := 0
		for i := 0; i < len(p); i++ {
			if !isDigit(p[i]) {
				return false
			}
			n = n*10 + int(p[i]-'0')
		}
		if n > 255 {
			return false
		}
	}
	return true
}

func validIPv6(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) && s[i] != ':' && s[i] != '.' {
			return false
		}
	}
	return strings.Contains(s, ":")
}
