package sql

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// variantPath reads the path after the ':' of v:path (Spark's extraction
// from a VARIANT: v:a.b[0], v:['a b']) and returns variant_get(v, '$...'),
// whose result is a variant. The ':' has been read.
func (p *parser) variantPath(v logical.Expr) (logical.Expr, error) {
	var path strings.Builder
	path.WriteByte('$')
	first := true
	for {
		t := p.peek()
		switch {
		case first && (t.kind == tkWord || t.kind == tkQuoted):
			p.next()
			path.WriteString("['" + t.text + "']")
		case !first && t.isOp(".") && (p.peekAt(1).kind == tkWord || p.peekAt(1).kind == tkQuoted):
			p.next()
			path.WriteString("['" + p.next().text + "']")
		case t.isOp("[") && (p.peekAt(1).kind == tkNumber || p.peekAt(1).kind == tkString) && p.peekAt(2).isOp("]"):
			p.next()
			k := p.next()
			p.next()
			if k.kind == tkNumber {
				path.WriteString("[" + k.text + "]")
			} else {
				path.WriteString("['" + k.text + "']")
			}
		default:
			if first {
				return nil, p.expected("a field name or [index] after ':'")
			}
			lit := &logical.Literal{Value: path.String(), Type: arrow.BinaryTypes.String}
			return &logical.Func{Name: "variant_get", Args: []logical.Expr{v, lit}}, nil
		}
		first = false
	}
}
