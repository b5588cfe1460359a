terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "billing-service/terraform.tfstate"
    region = "eu-central-1"
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      service     = "billing"
      environment = var.environment
    }
  }
}

# Charges that could not be confirmed synchronously are re-driven from this queue.
resource "aws_sqs_queue" "billing_events" {
  name                       = "${var.environment}-billing-events"
  visibility_timeout_seconds = 60
  message_retention_seconds  = var.message_retention_seconds
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.billing_events_dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "billing_events_dlq" {
  name                      = "${var.environment}-billing-events-dlq"
  message_retention_seconds = 1209600
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${var.environment}-billing-dlq-not-empty"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.billing_events_dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [var.alarm_topic_arn]
}

output "billing_events_queue_url" {
  value = aws_sqs_queue.billing_events.url
}

output "billing_events_dlq_arn" {
  value = aws_sqs_queue.billing_events_dlq.arn
}
