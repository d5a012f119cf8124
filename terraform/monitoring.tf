# The operator's view: alarms on what matters, a dashboard, and saved Logs Insights queries over
# the function's one JSON line per request ({"fields":{"message":"request","route","status",
# "duration_ms","in_bytes","out_bytes","sub",...}}).

locals {
  alarm_actions = var.alarm_sns_topic_arn == "" ? [] : [var.alarm_sns_topic_arn]
  api_dimensions = {
    ApiId = aws_apigatewayv2_api.this.id
  }
  function_dimensions = {
    FunctionName = aws_lambda_function.this.function_name
  }
}

# Share of requests answered 5xx (the function's internal errors, integration failures and
# timeouts) and 4xx (refused files, bad options, missing tokens, throttling) over 5 minutes.
resource "aws_cloudwatch_metric_alarm" "api_error_rate" {
  for_each = {
    "5xx" = var.alarm_error_rate
    "4xx" = var.alarm_error_rate * 5
  }

  alarm_name          = "${var.name}-api-${each.key}-rate"
  alarm_description   = "More than ${each.value * 100} % of requests to the ${var.name} API answered ${each.key} over 5 minutes (twice in a row). Look at the saved query ${var.name}/failing-requests."
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, errors / requests, 0)"
    label       = "${each.key} share"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = each.key
      dimensions  = local.api_dimensions
      period      = 300
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = local.api_dimensions
      period      = 300
      stat        = "Sum"
    }
  }
}

# The function failing (a crash or a timeout: answered errors are not Lambda errors) or being
# throttled (the account's concurrency, or reserved_concurrency when set).
resource "aws_cloudwatch_metric_alarm" "function" {
  for_each = toset(["Errors", "Throttles"])

  alarm_name          = "${var.name}-function-${lower(each.key)}"
  alarm_description   = "The ${var.name} function reported ${each.key} in the last 5 minutes."
  namespace           = "AWS/Lambda"
  metric_name         = each.key
  dimensions          = local.function_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# The slowest requests nearing the timeout: p99 duration over 80 % of it for 15 minutes.
resource "aws_cloudwatch_metric_alarm" "duration_p99" {
  alarm_name          = "${var.name}-function-duration-p99"
  alarm_description   = "p99 duration of the ${var.name} function above 80 % of its ${var.timeout_seconds} s timeout for 15 minutes. Look at the saved query ${var.name}/slowest-requests."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = local.function_dimensions
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.timeout_seconds * 1000 * 0.8
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

locals {
  queries = {
    "slowest-requests" = <<-EOQ
      fields @timestamp, fields.request_id, fields.method, fields.route, fields.status, fields.duration_ms, fields.in_bytes, fields.out_bytes
      | filter fields.message = "request"
      | sort fields.duration_ms desc
      | limit 50
    EOQ
    "failing-requests" = <<-EOQ
      fields @timestamp, fields.request_id, fields.route, fields.status, fields.code, fields.cause, fields.message
      | filter (fields.message = "request" and fields.status >= 500) or fields.message = "refused" or level = "ERROR" or @message like /Task timed out|Runtime\./
      | sort @timestamp desc
      | limit 100
    EOQ
    "engine-time"      = <<-EOQ
      filter fields.message = "request" and fields.route = "/thumbnail"
      | stats count(*) as requests, pct(fields.duration_ms, 50) as p50_ms, pct(fields.duration_ms, 99) as p99_ms, max(fields.duration_ms) as max_ms by bin(5m)
    EOQ
    "memory"           = <<-EOQ
      filter @type = "REPORT"
      | stats max(@maxMemoryUsed / 1048576) as max_mib, pct(@maxMemoryUsed / 1048576, 99) as p99_mib, max(@memorySize / 1048576) as size_mib by bin(1h)
    EOQ
  }
}

resource "aws_cloudwatch_query_definition" "this" {
  for_each = local.queries

  name            = "${var.name}/${each.key}"
  log_group_names = [aws_cloudwatch_log_group.function.name]
  query_string    = each.value
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "Requests per minute, by status class"
          region  = data.aws_region.current.name
          stat    = "Sum"
          period  = 60
          view    = "timeSeries"
          stacked = true
          metrics = [
            [{ expression = "total - e4 - e5", label = "2xx/3xx", id = "ok" }],
            ["AWS/ApiGateway", "4xx", "ApiId", aws_apigatewayv2_api.this.id, { id = "e4", label = "4xx" }],
            ["AWS/ApiGateway", "5xx", "ApiId", aws_apigatewayv2_api.this.id, { id = "e5", label = "5xx" }],
            ["AWS/ApiGateway", "Count", "ApiId", aws_apigatewayv2_api.this.id, { id = "total", visible = false }],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "Latency at the API (ms)"
          region = data.aws_region.current.name
          period = 60
          view   = "timeSeries"
          metrics = [
            ["AWS/ApiGateway", "Latency", "ApiId", aws_apigatewayv2_api.this.id, { stat = "p50", label = "p50" }],
            ["...", { stat = "p90", label = "p90" }],
            ["...", { stat = "p99", label = "p99" }],
            ["AWS/ApiGateway", "IntegrationLatency", "ApiId", aws_apigatewayv2_api.this.id, { stat = "p99", label = "integration p99" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "Function: duration (ms), errors, throttles, concurrency"
          region = data.aws_region.current.name
          period = 60
          view   = "timeSeries"
          metrics = [
            ["AWS/Lambda", "Duration", "FunctionName", aws_lambda_function.this.function_name, { stat = "p50", label = "duration p50" }],
            ["...", { stat = "p99", label = "duration p99" }],
            ["AWS/Lambda", "Errors", "FunctionName", aws_lambda_function.this.function_name, { stat = "Sum", yAxis = "right" }],
            ["AWS/Lambda", "Throttles", "FunctionName", aws_lambda_function.this.function_name, { stat = "Sum", yAxis = "right" }],
            ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", aws_lambda_function.this.function_name, { stat = "Maximum", yAxis = "right" }],
          ]
        }
      },
      {
        type = "log", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "Engine time per request, POST /thumbnail (ms, from the function's log line)"
          region = data.aws_region.current.name
          view   = "timeSeries"
          query  = "SOURCE '${aws_cloudwatch_log_group.function.name}' | ${replace(trimspace(local.queries["engine-time"]), "\n", " ")}"
        }
      },
      {
        type = "alarm", x = 0, y = 12, width = 24, height = 3
        properties = {
          title = "Alarms"
          alarms = concat(
            [for a in aws_cloudwatch_metric_alarm.api_error_rate : a.arn],
            [for a in aws_cloudwatch_metric_alarm.function : a.arn],
            [aws_cloudwatch_metric_alarm.duration_p99.arn],
          )
        }
      },
    ]
  })
}
