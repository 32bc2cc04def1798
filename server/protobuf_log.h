// protobuf's own log lines, bounded: a client sending requests that do not
// parse (invalid UTF-8 in a string field) makes protobuf log one ERROR line
// each, so without a bound any client could grow bidopend's log at will.
#ifndef BIDOPEN_SERVER_PROTOBUF_LOG_H_
#define BIDOPEN_SERVER_PROTOBUF_LOG_H_

namespace bidopen {

// At most 10 protobuf log lines a minute reach stderr; the rest are counted
// and the count is printed when the next minute's first line is. Call once,
// before any thread starts (protobuf's SetLogHandler is not thread-safe).
void BoundProtobufLogging();

}  // namespace bidopen

#endif  // BIDOPEN_SERVER_PROTOBUF_LOG_H_
