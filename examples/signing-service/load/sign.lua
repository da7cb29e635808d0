-- wrk script: every request signs a 32-byte message with the key whose path is in the SIGN_PATH environment variable.
wrk.method = "POST"
wrk.path = os.getenv("SIGN_PATH")
wrk.body = "0123456789abcdef0123456789abcdef"
wrk.headers["Content-Type"] = "application/octet-stream"

local failures = 0

response = function(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("LOAD {\"requests\": %d, \"duration_s\": %.3f, \"requests_per_s\": %.1f, " ..
      "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"socket_errors\": %d, \"non_2xx\": %d}\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      summary.errors.status))
end
