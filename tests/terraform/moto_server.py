"""moto's server with the one CloudWatch Logs API it lacks (moto 5.2): saved Logs Insights
queries (PutQueryDefinition, DescribeQueryDefinitions, DeleteQueryDefinition), so that the
emulator apply can create, read back and destroy the module's saved queries.

    python moto_server.py -H 127.0.0.1 -p PORT
"""
import json
import sys
import uuid

from moto.logs.responses import LogsResponse
from moto.server import main

DEFINITIONS = {}


def put_query_definition(self):
    qid = self._get_param("queryDefinitionId") or str(uuid.uuid4())
    DEFINITIONS[qid] = {
        "queryDefinitionId": qid,
        "name": self._get_param("name"),
        "queryString": self._get_param("queryString"),
        "logGroupNames": self._get_param("logGroupNames") or [],
        "lastModified": 0,
    }
    return json.dumps({"queryDefinitionId": qid})


def describe_query_definitions(self):
    prefix = self._get_param("queryDefinitionNamePrefix") or ""
    found = [d for d in DEFINITIONS.values() if d["name"].startswith(prefix)]
    return json.dumps({"queryDefinitions": found})


def delete_query_definition(self):
    ok = DEFINITIONS.pop(self._get_param("queryDefinitionId"), None) is not None
    return json.dumps({"success": ok})


LogsResponse.put_query_definition = put_query_definition
LogsResponse.describe_query_definitions = describe_query_definitions
LogsResponse.delete_query_definition = delete_query_definition

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
