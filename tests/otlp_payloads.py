"""OTLP requests for the tests, built with the published protobuf classes (never hand-written bytes)."""

from __future__ import annotations

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, InstrumentationScope, KeyValue
from opentelemetry.proto.logs.v1.logs_pb2 import LogRecord, ResourceLogs, ScopeLogs
from opentelemetry.proto.resource.v1.resource_pb2 import Resource

# The example request of the OTLP specification (opentelemetry-proto examples/logs.json), verbatim.
SPEC_EXAMPLE_JSON = """{
  "resourceLogs": [
    {
      "resource": {
        "attributes": [
          {
            "key": "service.name",
            "value": {
              "stringValue": "my.service"
            }
          }
        ]
      },
      "scopeLogs": [
        {
          "scope": {
            "name": "my.library",
            "version": "1.0.0",
            "attributes": [
              {
                "key": "my.scope.attribute",
                "value": {
                  "stringValue": "some scope attribute"
                }
              }
            ]
          },
          "logRecords": [
            {
              "timeUnixNano": "1544712660300000000",
              "observedTimeUnixNano": "1544712660300000000",
              "severityNumber": 10,
              "severityText": "Information",
              "traceId": "5B8EFFF798038103D269B633813FC60C",
              "spanId": "EEE19B7EC3C1B174",
              "body": {
                "stringValue": "Example log record"
              },
              "attributes": [
                {
                  "key": "string.attribute",
                  "value": {
                    "stringValue": "some string"
                  }
                },
                {
                  "key": "boolean.attribute",
                  "value": {
                    "boolValue": true
                  }
                },
                {
                  "key": "int.attribute",
                  "value": {
                    "intValue": "10"
                  }
                },
                {
                  "key": "double.attribute",
                  "value": {
                    "doubleValue": 637.704
                  }
                },
                {
                  "key": "array.attribute",
                  "value": {
                    "arrayValue": {
                      "values": [
                        {
                          "stringValue": "many"
                        },
                        {
                          "stringValue": "values"
                        }
                      ]
                    }
                  }
                },
                {
                  "key": "map.attribute",
                  "value": {
                    "kvlistValue": {
                      "values": [
                        {
                          "key": "some.map.key",
                          "value": {
                            "stringValue": "some value"
                          }
                        }
                      ]
                    }
                  }
                }
              ]
            }
          ]
        }
      ]
    }
  ]
}"""


def text(value: str) -> AnyValue:
    return AnyValue(string_value=value)


def resource(**attributes: str) -> Resource:
    return Resource(attributes=[KeyValue(key=key.replace("_", "."), value=text(v)) for key, v in attributes.items()])


def request(*resource_logs: ResourceLogs) -> ExportLogsServiceRequest:
    return ExportLogsServiceRequest(resource_logs=list(resource_logs))


def resource_logs(res: Resource, scope: str, *records: LogRecord) -> ResourceLogs:
    return ResourceLogs(resource=res, scope_logs=[ScopeLogs(scope=InstrumentationScope(name=scope),
                                                            log_records=list(records))])


def record(body: AnyValue | None, time_unix_nano: int = 0, observed: int = 0) -> LogRecord:
    rec = LogRecord(time_unix_nano=time_unix_nano, observed_time_unix_nano=observed)
    if body is not None:
        rec.body.CopyFrom(body)
    return rec
