"""moto's server with what the module needs and moto 5.2 lacks (reference/moto-gaps.md):
- CloudWatch Logs: saved Logs Insights queries (PutQueryDefinition, DescribeQueryDefinitions,
  DeleteQueryDefinition);
- CloudFront: cache policies (Create/Get/GetConfig/Update/Delete), PublishFunction and
  UpdateFunction, and a distribution read back as it was sent (moto adds forwarded_values though
  a cache policy is set, drops the function associations, and reports its default certificate
  beside an ACM one, so that a re-plan is never empty);
- Route 53: hosted zone ids of AWS's shape (Z...);
- Lambda: an event invoke config replaced by a put (moto appends it and answers the first).
Such handlers store what they are sent: readback.py asserts the values that matter.

    python moto_server.py -H 127.0.0.1 -p PORT
"""
import json
import sys
import uuid

from moto.cloudfront import models as cf_models
from moto.cloudfront import urls as cf_urls
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.logs.responses import LogsResponse
from moto.route53 import models as r53_models
from moto.awslambda.models import LambdaBackend
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

# CloudFront cache policies, kept by id.
CACHE_POLICIES = {}


def _cache_policy(pid):
    entry = CACHE_POLICIES[pid]
    return {"Id": pid, "LastModifiedTime": "2026-01-01T00:00:00Z", "CachePolicyConfig": entry["config"]}


def create_cache_policy(self):
    pid = str(uuid.uuid4())
    CACHE_POLICIES[pid] = {"config": self._get_param("CachePolicyConfig", {}), "etag": uuid.uuid4().hex}
    return ActionResult({"CachePolicy": _cache_policy(pid), "ETag": CACHE_POLICIES[pid]["etag"],
                         "Location": f"https://cloudfront.amazonaws.com/2020-05-31/cache-policy/{pid}"})


def _known_policy(self):
    from moto.cloudfront.exceptions import CloudFrontException
    pid = self._get_param("Id")
    if pid not in CACHE_POLICIES:
        raise CloudFrontException("NoSuchCachePolicy", "The cache policy does not exist.")
    return pid


def get_cache_policy(self):
    pid = _known_policy(self)
    return ActionResult({"CachePolicy": _cache_policy(pid), "ETag": CACHE_POLICIES[pid]["etag"]})


def get_cache_policy_config(self):
    pid = _known_policy(self)
    entry = CACHE_POLICIES[pid]
    return ActionResult({"CachePolicyConfig": entry["config"], "ETag": entry["etag"]})


def update_cache_policy(self):
    pid = _known_policy(self)
    CACHE_POLICIES[pid] = {"config": self._get_param("CachePolicyConfig", {}), "etag": uuid.uuid4().hex}
    return ActionResult({"CachePolicy": _cache_policy(pid), "ETag": CACHE_POLICIES[pid]["etag"]})


def delete_cache_policy(self):
    CACHE_POLICIES.pop(_known_policy(self))
    return EmptyResult()


def publish_function(self):
    function = self.backend.describe_function(self._get_param("Name"))
    function.stage = "LIVE"
    function.status = "UNASSOCIATED"
    return ActionResult({"FunctionSummary": function.function_summary})


def update_function(self):
    function = self.backend.describe_function(self._get_param("Name"))
    function.config = self._get_param("FunctionConfig", {})
    function.code = self._get_param("FunctionCode")
    function.etag = uuid.uuid4().hex
    return ActionResult({"FunctionSummary": function.function_summary, "ETag": function.etag})


for name, handler in [("create_cache_policy", create_cache_policy), ("get_cache_policy", get_cache_policy),
                      ("get_cache_policy_config", get_cache_policy_config),
                      ("update_cache_policy", update_cache_policy), ("delete_cache_policy", delete_cache_policy),
                      ("publish_function", publish_function), ("update_function", update_function)]:
    setattr(CloudFrontResponse, name, handler)
# Named groups: moto makes Flask converters of them (a bare [^/]+ would be literal text).
for path in [r"{0}/2020-05-31/cache-policy$", r"{0}/2020-05-31/cache-policy/(?P<Id>[^/]+)$",
             r"{0}/2020-05-31/cache-policy/(?P<Id>[^/]+)/config$",
             r"{0}/2020-05-31/function/(?P<Name>[^/]+)/publish$"]:
    cf_urls.url_paths[path] = CloudFrontResponse.dispatch

_behaviour_init = cf_models.DefaultCacheBehaviour.__init__


def _behaviour_as_sent(self, config):
    _behaviour_init(self, config)
    self.function_associations = config.get("FunctionAssociations") or {"Quantity": 0}
    if config.get("CachePolicyId"):
        self.forwarded_values = None


cf_models.DefaultCacheBehaviour.__init__ = _behaviour_as_sent
_certificate_init = cf_models.ViewerCertificate.__init__


def _certificate_as_sent(self, config):
    _certificate_init(self, config)
    if config.get("ACMCertificateArn"):
        self.cloud_front_default_certificate = False
        self.certificate_source = "acm"


cf_models.ViewerCertificate.__init__ = _certificate_as_sent

# Route 53: hosted zone ids as AWS makes them (Z and 13 to 32 characters; the module's
# variable checks that shape, and moto's are 22 random characters).
_zone_id = r53_models.create_route53_zone_id
r53_models.create_route53_zone_id = lambda *a, **k: "Z" + _zone_id(*a, **k)[1:]

_put_invoke_config = LambdaBackend.put_function_event_invoke_config


def _replace_invoke_config(self, function_name, config):
    self.get_function(function_name).event_invoke_config = []
    return _put_invoke_config(self, function_name, config)


LambdaBackend.put_function_event_invoke_config = _replace_invoke_config

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
