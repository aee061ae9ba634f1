// Package server is gspark's Spark Connect server: Spark Connect clients
// (PySpark, the Scala and Go clients) send plans over gRPC and get Arrow
// results back, computed by gspark.
//
// The protocol messages are dynamic (connect/proto): the service is
// registered with a hand-written grpc.ServiceDesc whose handlers decode
// requests into dynamicpb messages and encode dynamicpb responses, with
// gRPC's ordinary protobuf codec. Each client session (by session id) has
// its own frame.Session, so temporary views and settings stay apart.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	cproto "github.com/gspark/gspark/connect/proto"
	"github.com/gspark/gspark/frame"
)

// SparkVersion is the version AnalyzePlan reports: the Spark Connect
// protocol gspark's server speaks.
const SparkVersion = "4.0.0"

// Options configure a Server.
type Options struct {
	// NewSession makes the gspark session of a new client session;
	// frame.NewSession() when nil.
	NewSession func() (*frame.Session, error)
	// GRPC are extra options of the gRPC server.
	GRPC []grpc.ServerOption
}

// Server serves the Spark Connect protocol over gRPC.
type Server struct {
	schema *cproto.Schema
	opts   Options
	grpc   *grpc.Server

	mu       sync.Mutex
	sessions map[string]*session
}

// session is one client session: a gspark session, the settings gspark does
// not know (kept so that clients read back what they set) and the running
// operations.
type session struct {
	id, serverID string
	fs           *frame.Session
	mem          memory.Allocator

	mu       sync.Mutex
	extra    map[string]string // settings gspark has no use for
	defaults map[string]string // gspark settings' values before the first set
	ops      map[string]*operation
}

// operation is a running ExecutePlan.
type operation struct {
	id     string
	tags   []string
	cancel context.CancelCauseFunc
}

// New makes a server; Serve starts it.
func New(opts Options) (*Server, error) {
	sc, err := cproto.Load()
	if err != nil {
		return nil, err
	}
	if opts.NewSession == nil {
		opts.NewSession = func() (*frame.Session, error) { return frame.NewSession(), nil }
	}
	s := &Server{schema: sc, opts: opts, sessions: map[string]*session{}}
	// Stop waits for the handlers (which it cancels) to return, so that no
	// goroutine of the server outlives it.
	s.grpc = grpc.NewServer(append([]grpc.ServerOption{grpc.WaitForHandlers(true)}, opts.GRPC...)...)
	desc, err := s.serviceDesc()
	if err != nil {
		return nil, err
	}
	s.grpc.RegisterService(desc, s)
	return s, nil
}

// Serve accepts connections on lis until Stop or GracefulStop.
func (s *Server) Serve(lis net.Listener) error {
	if err := s.grpc.Serve(lis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return fmt.Errorf("spark connect server on %s: %w", lis.Addr(), err)
	}
	return nil
}

// Stop cancels every operation and closes every connection at once.
func (s *Server) Stop() {
	s.cancelAll()
	s.grpc.Stop()
}

// GracefulStop stops accepting connections and waits for the running calls
// to finish.
func (s *Server) GracefulStop() {
	s.grpc.GracefulStop()
	s.cancelAll()
}

// Shutdown is GracefulStop bounded by ctx: when ctx ends first, the
// operations still running are cancelled and the connections closed (Stop),
// and ctx's error is returned.
func (s *Server) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.GracefulStop()
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.Stop()
		<-done
		return fmt.Errorf("spark connect server: stopped before its calls ended: %w", ctx.Err())
	}
}

func (s *Server) cancelAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		ss.interrupt(func(*operation) bool { return true })
	}
}

// Running is the number of operations running, over all sessions.
func (s *Server) Running() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, ss := range s.sessions {
		ss.mu.Lock()
		n += len(ss.ops)
		ss.mu.Unlock()
	}
	return n
}

// session returns the session of the id, made on first use.
func (s *Server) session(id string) (*session, error) {
	if id == "" {
		return nil, errors.New("request without a session_id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[id]
	if !ok {
		fs, err := s.opts.NewSession()
		if err != nil {
			return nil, fmt.Errorf("session %s: %w", id, err)
		}
		ss = &session{
			id: id, serverID: uuid.NewString(), fs: fs, mem: memory.DefaultAllocator,
			extra: map[string]string{}, defaults: map[string]string{}, ops: map[string]*operation{},
		}
		s.sessions[id] = ss
	}
	return ss, nil
}

// interrupt cancels the operations match selects and returns their ids.
func (ss *session) interrupt(match func(*operation) bool) []string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	var ids []string
	for id, op := range ss.ops {
		if match(op) {
			op.cancel(errInterrupted)
			ids = append(ids, id)
		}
	}
	return ids
}

type handler func(ctx context.Context, req cproto.Msg) (cproto.Msg, error)

type streamHandler func(ctx context.Context, req cproto.Msg, send func(cproto.Msg) error) error

// connectService is the handler type of the service description; the
// handlers are closures, so it needs no methods.
type connectService interface{}

func (s *Server) serviceDesc() (*grpc.ServiceDesc, error) {
	desc := &grpc.ServiceDesc{
		ServiceName: cproto.ServiceName,
		HandlerType: (*connectService)(nil),
		Metadata:    s.schema.Service.ParentFile().Path(),
	}
	unary := map[string]handler{
		"AnalyzePlan":    s.analyzePlan,
		"Config":         s.config,
		"Interrupt":      s.interruptCall,
		"ReleaseExecute": s.releaseExecute,
		"ReleaseSession": s.releaseSession,
	}
	streams := map[string]streamHandler{
		"ExecutePlan":     s.executePlan,
		"ReattachExecute": s.reattachExecute,
	}
	methods := s.schema.Service.Methods()
	for name, h := range unary {
		md := methods.ByName(protoreflect.Name(name))
		if md == nil {
			return nil, fmt.Errorf("spark connect service has no method %s", name)
		}
		desc.Methods = append(desc.Methods, unaryMethod(md, h))
	}
	for name, h := range streams {
		md := methods.ByName(protoreflect.Name(name))
		if md == nil {
			return nil, fmt.Errorf("spark connect service has no method %s", name)
		}
		desc.Streams = append(desc.Streams, streamMethod(md, h))
	}
	return desc, nil
}

func unaryMethod(md protoreflect.MethodDescriptor, h handler) grpc.MethodDesc {
	in := md.Input()
	full := "/" + cproto.ServiceName + "/" + string(md.Name())
	return grpc.MethodDesc{
		MethodName: string(md.Name()),
		Handler: func(srv any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			req := dynamicpb.NewMessage(in)
			if err := dec(req); err != nil {
				return nil, err
			}
			call := func(ctx context.Context, r any) (any, error) {
				out, err := h(ctx, cproto.Of(req))
				if err != nil {
					return nil, toStatus(err)
				}
				return out.M.Interface(), nil
			}
			if icpt == nil {
				return call(ctx, req)
			}
			return icpt(ctx, req, &grpc.UnaryServerInfo{Server: srv, FullMethod: full}, call)
		},
	}
}

func streamMethod(md protoreflect.MethodDescriptor, h streamHandler) grpc.StreamDesc {
	in := md.Input()
	return grpc.StreamDesc{
		StreamName:    string(md.Name()),
		ServerStreams: true,
		Handler: func(_ any, stream grpc.ServerStream) error {
			req := dynamicpb.NewMessage(in)
			if err := stream.RecvMsg(req); err != nil {
				return err
			}
			err := h(stream.Context(), cproto.Of(req), func(m cproto.Msg) error {
				return stream.SendMsg(m.M.Interface())
			})
			return toStatus(err)
		},
	}
}

// response makes a response message carrying the session ids.
func (s *Server) response(name string, ss *session) (cproto.Msg, error) {
	m, err := s.schema.New(name)
	if err != nil {
		return m, err
	}
	if err := m.Set("session_id", ss.id); err != nil {
		return m, err
	}
	_ = m.Set("server_side_session_id", ss.serverID)
	return m, nil
}

func (s *Server) interruptCall(_ context.Context, req cproto.Msg) (cproto.Msg, error) {
	ss, err := s.session(req.Str("session_id"))
	if err != nil {
		return cproto.Msg{}, err
	}
	var ids []string
	switch req.Int("interrupt_type") {
	case 1: // all
		ids = ss.interrupt(func(*operation) bool { return true })
	case 2: // tag
		tag := req.Str("operation_tag")
		ids = ss.interrupt(func(op *operation) bool {
			for _, t := range op.tags {
				if t == tag {
					return true
				}
			}
			return false
		})
	case 3: // operation id
		id := req.Str("operation_id")
		ids = ss.interrupt(func(op *operation) bool { return op.id == id })
	default:
		return cproto.Msg{}, errors.New("interrupt: interrupt_type not set")
	}
	resp, err := s.response("InterruptResponse", ss)
	if err != nil {
		return resp, err
	}
	for _, id := range ids {
		if _, err := resp.Append("interrupted_ids", id); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

// releaseExecute forgets an operation: results are never buffered for
// reattachment, so a running one is cancelled.
func (s *Server) releaseExecute(_ context.Context, req cproto.Msg) (cproto.Msg, error) {
	ss, err := s.session(req.Str("session_id"))
	if err != nil {
		return cproto.Msg{}, err
	}
	id := req.Str("operation_id")
	if req.Which("release") == "release_all" {
		ss.interrupt(func(op *operation) bool { return op.id == id })
	}
	resp, err := s.response("ReleaseExecuteResponse", ss)
	if err != nil {
		return resp, err
	}
	return resp, resp.Set("operation_id", id)
}

func (s *Server) releaseSession(_ context.Context, req cproto.Msg) (cproto.Msg, error) {
	ss, err := s.session(req.Str("session_id"))
	if err != nil {
		return cproto.Msg{}, err
	}
	ss.interrupt(func(*operation) bool { return true })
	s.mu.Lock()
	delete(s.sessions, ss.id)
	s.mu.Unlock()
	return s.response("ReleaseSessionResponse", ss)
}

// reattachExecute: gspark streams each result whole in its ExecutePlan call
// and keeps nothing to resume from.
func (s *Server) reattachExecute(_ context.Context, req cproto.Msg, _ func(cproto.Msg) error) error {
	return fmt.Errorf("%w: reattaching to operation %s (results are not kept once sent)", errUnsupported, req.Str("operation_id"))
}
